package dev.synque.monitor.bench;

import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.embed.EmbeddingBatch;
import dev.synque.monitor.embed.ModelInfo;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.InMemorySchemaRegistry;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.stream.MonitorSerdes;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.stream.MonitorStreamsConfig;
import dev.synque.monitor.stream.MonitorTopology;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * End-to-end throughput of the monitor against the embedder's own, in one run: {@code java -cp ...
 * dev.synque.monitor.bench.MonitorThroughput [SAMPLES [BATCH]]} (default 2,000 samples and the
 * monitor's default micro-batch; real headlines from the SynQuE benchmark, {@code
 * -Dsynque.bench.corpus=FILE} for others).
 *
 * <ol>
 *   <li>Embedder alone: the default CPU {@link DjlEmbedder}, calls of BATCH texts (the monitor's
 *       default micro-batch), after a warm-up.
 *   <li>Monitor: the samples are produced first to an in-process broker (4 generators, 4
 *       partitions), then the topology runs with the same embedder instance, exactly once, one
 *       stream thread, all-time view, {@code mmd2_poly} and {@code frechet}. Measured from the
 *       first embedding call for synthetic samples to the moment the last generator's final scores
 *       are visible to a {@code read_committed} consumer.
 * </ol>
 */
public final class MonitorThroughput {

  private static final List<String> GENERATORS = List.of("gen-a", "gen-b", "gen-c", "gen-d");

  private MonitorThroughput() {}

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int batchSize =
        args.length > 1 ? Integer.parseInt(args[1]) : MonitorSettings.defaults().embedBatchSize();
    List<String> corpus =
        EmbeddingBenchmark.readHeadlines(
            Path.of(System.getProperty("synque.bench.corpus", EmbeddingBenchmark.DEFAULT_CORPUS)));
    try (DjlEmbedder djl = DjlEmbedder.open(EmbedderSettings.defaults())) {
      djl.embed(corpus.subList(0, 64));
      long started = System.nanoTime();
      for (int i = 0; i < samples; i += batchSize) {
        List<String> batch = new java.util.ArrayList<>();
        for (int j = i; j < Math.min(samples, i + batchSize); j++) {
          batch.add(corpus.get(j % corpus.size()));
        }
        djl.embed(batch);
      }
      double embedderRate = samples / ((System.nanoTime() - started) / 1e9);
      System.out.printf(
          "embedder alone (batches of %d): %.1f samples/s%n", batchSize, embedderRate);

      double monitorRate = monitor(samples, batchSize, corpus, djl);
      System.out.printf(
          "monitor end to end: %.1f samples/s = %.0f%% of the embedder%n",
          monitorRate, 100 * monitorRate / embedderRate);
    }
    System.exit(0);
  }

  private static double monitor(int samples, int batchSize, List<String> corpus, DjlEmbedder djl)
      throws Exception {
    AtomicLong firstSyntheticCall = new AtomicLong();
    AtomicInteger calls = new AtomicInteger();
    Embedder timed =
        new Embedder() {
          @Override
          public ModelInfo model() {
            return djl.model();
          }

          @Override
          public EmbeddingBatch embed(List<String> texts) {
            if (calls.incrementAndGet() == 2) { // call 1 embeds the reference set
              firstSyntheticCall.set(System.nanoTime());
            }
            return djl.embed(texts);
          }

          @Override
          public long truncatedCount() {
            return djl.truncatedCount();
          }

          @Override
          public long rejectedCount() {
            return djl.rejectedCount();
          }

          @Override
          public void close() {}
        };
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.create()) {
      kafka.start();
      Map<String, Object> config = new HashMap<>();
      config.put(MonitorSettings.WINDOW_KIND, "NONE");
      config.put(MonitorSettings.SCORES_EVERY_SAMPLES, samples / GENERATORS.size());
      config.put(MonitorSettings.SCORES_EVERY_MS, 0);
      config.put(MonitorSettings.RANKING_MIN_SAMPLES, 1);
      config.put(MonitorSettings.EMBED_BATCH_SIZE, batchSize);
      MonitorSettings settings = MonitorSettings.fromConfig(config);
      kafka.createTopic(settings.syntheticTopic(), GENERATORS.size());
      kafka.createTopic(settings.referenceTopic(), 1, Map.of("cleanup.policy", "compact"));
      for (String t :
          List.of(
              settings.scoresTopic(),
              settings.rankingsTopic(),
              settings.alertsTopic(),
              settings.deadLetterTopic())) {
        kafka.createTopic(t, 1);
      }
      AvroSerdeFactory serdes =
          new AvroSerdeFactory(
              Map.of(SchemaRegistrySettings.URL, "http://in-memory"), new InMemorySchemaRegistry());
      try (KafkaProducer<String, ReferenceSample> producer =
          new KafkaProducer<>(
              kafka.clientProperties(),
              new StringSerializer(),
              serdes.valueSerde(ReferenceSample.class).serializer())) {
        for (int i = 0; i < 100; i++) {
          producer.send(
              new ProducerRecord<>(
                  settings.referenceTopic(),
                  "set/r" + i,
                  ReferenceSample.newBuilder()
                      .setReferenceSetId("set")
                      .setReferenceVersion("v1")
                      .setSampleId("r" + i)
                      .setText(corpus.get(corpus.size() - 1 - i))
                      .setEventTime(Instant.ofEpochMilli(0))
                      .build()));
        }
      }
      try (KafkaProducer<String, SyntheticSample> producer =
          new KafkaProducer<>(
              kafka.clientProperties(),
              new StringSerializer(),
              serdes.valueSerde(SyntheticSample.class).serializer())) {
        for (int i = 0; i < samples; i++) {
          String g = GENERATORS.get(i % GENERATORS.size());
          producer.send(
              new ProducerRecord<>(
                  settings.syntheticTopic(),
                  g,
                  SyntheticSample.newBuilder()
                      .setGeneratorId(g)
                      .setSampleId(g + "-" + i)
                      .setText(corpus.get(i % corpus.size()))
                      .setEventTime(Instant.ofEpochMilli(1_000 + i))
                      .build()));
        }
      }
      Map<String, Object> all = new HashMap<>(config);
      all.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-throughput");
      all.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      all.put(
          StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("monitor-bench").toString());
      all.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
      Map<String, Object> consumerProps = kafka.clientProperties();
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader");
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      try (KafkaStreams streams =
              new KafkaStreams(
                  MonitorTopology.build(settings, () -> timed, MonitorSerdes.from(serdes)),
                  MonitorStreamsConfig.from(all));
          KafkaConsumer<String, QualityScores> consumer =
              new KafkaConsumer<>(
                  consumerProps,
                  new StringDeserializer(),
                  serdes.valueSerde(QualityScores.class).deserializer())) {
        consumer.subscribe(List.of(settings.scoresTopic()));
        streams.start();
        Set<String> done = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (done.size() < GENERATORS.size() && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, QualityScores> r : consumer.poll(Duration.ofMillis(50))) {
            if (r.value().getSampleCount() == samples / GENERATORS.size()) {
              done.add(r.value().getGeneratorId());
            }
          }
        }
        double seconds = (System.nanoTime() - firstSyntheticCall.get()) / 1e9;
        streams.close(Duration.ofSeconds(30));
        return samples / seconds;
      }
    }
  }
}
