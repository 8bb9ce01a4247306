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
import java.util.ArrayList;
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
 * dev.synque.monitor.bench.MonitorThroughput [SAMPLES [BATCH]]} (default 4,000 samples and the
 * monitor's default micro-batch; {@code -Dbench.model=minilm-q} for the int8 model; real headlines
 * from the SynQuE benchmark, {@code -Dsynque.bench.corpus=FILE} for others; {@code
 * -Dbench.config.KEY=VALUE} sets any monitor or Kafka Streams key, for example {@code
 * -Dbench.config.commit.interval.ms=100}).
 *
 * <ol>
 *   <li>Embedder alone: the default CPU {@link DjlEmbedder}, calls of BATCH texts (the monitor's
 *       default micro-batch), after a warm-up; measured again after the monitor and the broker are
 *       closed, and the mean of the two is the reference. On a shared 2-core machine the embedder's
 *       own speed drifts by 10-20% within minutes; one measurement taken minutes before the timed
 *       phase moved the ratio by as much as the monitor did.
 *   <li>Monitor: an in-process broker (4 partitions), the topology with the same embedder instance,
 *       exactly once, one stream thread, all-time view, {@code mmd2_poly} and {@code frechet}, 100
 *       reference samples. Warm-up phases (5, {@code -Dbench.warmups=N}) first send SAMPLES samples
 *       each of 4 warm-up generators through the running application and wait for their final
 *       scores, so that the JIT has compiled the broker, Streams and the monitor: with broker and
 *       clients in one JVM on 2 cores the compiler threads took 12% of the CPU of a timed phase
 *       that followed a single warm-up phase (about 2,500 compilations, many of them
 *       re-compilations after deoptimisation), and about 3% after five. Each warm-up phase's rate
 *       is printed, so the start-up cost stays visible. The measured phase then sends SAMPLES
 *       samples of 4 other generators (fresh state: their reservoirs fill as in a cold start) and
 *       is timed from the first send to the moment the last generator's final scores are visible to
 *       a {@code read_committed} consumer (production included, so the figure is conservative).
 * </ol>
 */
public final class MonitorThroughput {

  private static final List<String> GENERATORS = List.of("a", "b", "c", "d");

  /** System properties {@code -Dbench.config.KEY=VALUE} set monitor or Streams keys. */
  private static final String CONFIG_PREFIX = "bench.config.";

  /** Warm-up phases before the timed one ({@code -Dbench.warmups=N}). */
  private static final int warmUpPhases = Integer.getInteger("bench.warmups", 5);

  private MonitorThroughput() {}

  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
    int batchSize =
        args.length > 1 ? Integer.parseInt(args[1]) : MonitorSettings.defaults().embedBatchSize();
    List<String> corpus =
        EmbeddingBenchmark.readHeadlines(
            Path.of(System.getProperty("synque.bench.corpus", EmbeddingBenchmark.DEFAULT_CORPUS)));
    // -Dbench.model=minilm-q measures the int8 model instead of the default
    String model = System.getProperty("bench.model", EmbedderSettings.DEFAULT_MODEL);
    int cores = Runtime.getRuntime().availableProcessors();
    try (DjlEmbedder djl = DjlEmbedder.open(EmbedderSettings.defaults().withModel(model))) {
      for (int i = 0; i < 8; i++) {
        djl.embed(corpus.subList(i * batchSize, (i + 1) * batchSize));
      }
      double before = embedderAlone(djl, corpus, samples, batchSize);
      System.out.printf("embedder alone (batches of %d): %.1f samples/s%n", batchSize, before);

      double monitorRate = monitor(samples, batchSize, corpus, djl);
      double after = embedderAlone(djl, corpus, samples, batchSize);
      double embedderRate = (before + after) / 2;
      System.out.printf(
          "embedder alone again, broker and monitor closed: %.1f samples/s (mean %.1f)%n",
          after, embedderRate);
      System.out.printf(
          "monitor end to end: %.1f samples/s = %.0f%% of the embedder%n",
          monitorRate, 100 * monitorRate / embedderRate);
      System.out.printf(
          "model %s on %d cores: %.1f samples/s per core end to end, %.1f for the embedder alone%n",
          model, cores, monitorRate / cores, embedderRate / cores);
    }
    System.exit(0);
  }

  /** Samples per second of the embedder on its own, SAMPLES texts in calls of BATCH. */
  private static double embedderAlone(
      DjlEmbedder djl, List<String> corpus, int samples, int batchSize) {
    long started = System.nanoTime();
    for (int i = 0; i < samples; i += batchSize) {
      List<String> batch = new ArrayList<>();
      for (int j = i; j < Math.min(samples, i + batchSize); j++) {
        batch.add(corpus.get(j % corpus.size()));
      }
      djl.embed(batch);
    }
    return samples / ((System.nanoTime() - started) / 1e9);
  }

  /** The embedder the topology gets: the benchmark's instance, timed. */
  private static final class TimedEmbedder implements Embedder {
    private final DjlEmbedder djl;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicLong nanos = new AtomicLong();

    TimedEmbedder(DjlEmbedder djl) {
      this.djl = djl;
    }

    @Override
    public ModelInfo model() {
      return djl.model();
    }

    @Override
    public EmbeddingBatch embed(List<String> texts) {
      long started = System.nanoTime();
      EmbeddingBatch batch = djl.embed(texts);
      nanos.addAndGet(System.nanoTime() - started);
      calls.incrementAndGet();
      return batch;
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
  }

  private static double monitor(int samples, int batchSize, List<String> corpus, DjlEmbedder djl)
      throws Exception {
    TimedEmbedder timed = new TimedEmbedder(djl);
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.create()) {
      kafka.start();
      Map<String, Object> config = new HashMap<>();
      config.put(MonitorSettings.WINDOW_KIND, "NONE");
      config.put(MonitorSettings.SCORES_EVERY_SAMPLES, samples / GENERATORS.size());
      config.put(MonitorSettings.SCORES_EVERY_MS, 0);
      config.put(MonitorSettings.RANKING_MIN_SAMPLES, 1);
      config.put(MonitorSettings.EMBED_BATCH_SIZE, batchSize);
      System.getProperties()
          .forEach(
              (k, v) -> {
                if (k.toString().startsWith(CONFIG_PREFIX)) {
                  config.put(k.toString().substring(CONFIG_PREFIX.length()), v.toString());
                }
              });
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
                  serdes.valueSerde(QualityScores.class).deserializer());
          KafkaProducer<String, SyntheticSample> producer =
              new KafkaProducer<>(
                  kafka.clientProperties(),
                  new StringSerializer(),
                  serdes.valueSerde(SyntheticSample.class).serializer())) {
        consumer.subscribe(List.of(settings.scoresTopic()));
        streams.start();
        Phase phase = new Phase(settings, samples, corpus, producer, consumer);
        for (int w = 1; w <= warmUpPhases; w++) {
          timed.calls.set(0);
          double warmUp = phase.run("warm" + w + "-");
          System.out.printf(
              "warm-up %d of %d: %d samples in %.1f s = %.1f samples/s (%d embedder calls)%n",
              w, warmUpPhases, samples, warmUp, samples / warmUp, timed.calls.get());
        }
        timed.calls.set(0);
        timed.nanos.set(0);
        double seconds = phase.run("gen-");
        System.out.printf(
            "monitor: %.1f s from the first send to the last scores, %.1f s of it in the embedder"
                + " (%d calls, %.1f texts per call)%n",
            seconds,
            timed.nanos.get() / 1e9,
            timed.calls.get(),
            (double) samples / timed.calls.get());
        streams.close(Duration.ofSeconds(30));
        return samples / seconds;
      }
    }
  }

  /** Sends one phase's samples and waits until each of its generators' final scores are visible. */
  private record Phase(
      MonitorSettings settings,
      int samples,
      List<String> corpus,
      KafkaProducer<String, SyntheticSample> producer,
      KafkaConsumer<String, QualityScores> consumer) {

    double run(String prefix) {
      long started = System.nanoTime();
      for (int i = 0; i < samples; i++) {
        String g = prefix + GENERATORS.get(i % GENERATORS.size());
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
      producer.flush();
      Set<String> done = new HashSet<>();
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (done.size() < GENERATORS.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "no final scores after 30 minutes for " + prefix + " generators; done: " + done);
        }
        for (ConsumerRecord<String, QualityScores> r : consumer.poll(Duration.ofMillis(20))) {
          if (r.value().getGeneratorId().startsWith(prefix)
              && r.value().getSampleCount() == samples / GENERATORS.size()) {
            done.add(r.value().getGeneratorId());
          }
        }
      }
      return (System.nanoTime() - started) / 1e9;
    }
  }
}
