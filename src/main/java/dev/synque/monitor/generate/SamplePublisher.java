package dev.synque.monitor.generate;

import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.contracts.Contracts;
import dev.synque.monitor.serde.AvroSerdeFactory;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes synthetic samples (keyed by generator id) and reference samples (keyed by {@code
 * referenceSetId/sampleId}, on the compacted topic) as Avro on the Confluent wire format, with an
 * idempotent producer ({@code acks=all}), so a retried send never duplicates a sample. Owns its
 * producers; close it. Not thread-safe for {@link #close()}; sends may come from any thread.
 *
 * <p>A send that the producer gives up on (after its retries, within {@code delivery.timeout.ms})
 * is not lost silently: {@link #flush()} throws, saying how many records of which topic were not
 * written and why, so a caller that flushes before reporting success never reports a partial
 * publish as a complete one. The reference producer keeps one request in flight: a reference set is
 * small, and its completeness decides every score. (With several requests in flight, a first batch
 * refused by a broker that had not yet taken leadership of a just-created partition was overtaken
 * by the second; the broker then refused the first batch's retries as out of sequence until the
 * delivery timeout, and the reference set lost its first samples.)
 */
public final class SamplePublisher implements AutoCloseable {

  private final KafkaProducer<String, SyntheticSample> synthetic;
  private final KafkaProducer<String, ReferenceSample> reference;
  private final String syntheticTopic;
  private final String referenceTopic;
  private final Failures syntheticFailures = new Failures();
  private final Failures referenceFailures = new Failures();

  /** Sends the producer gave up on since the last {@link #flush()}, and the first reason. */
  private static final class Failures implements Callback {
    private final AtomicLong count = new AtomicLong();
    private final AtomicReference<Exception> first = new AtomicReference<>();

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      if (exception != null) {
        count.incrementAndGet();
        first.compareAndSet(null, exception);
      }
    }

    void throwIfAny(String topic) {
      long failed = count.getAndSet(0);
      Exception cause = first.getAndSet(null);
      if (failed > 0) {
        throw new PublishFailedException(
            String.format(
                "%d record(s) were not written to topic %s; the first error: %s",
                failed, topic, cause),
            cause);
      }
    }
  }

  /**
   * @param clientConfig Kafka producer settings (at least {@code bootstrap.servers}) plus the
   *     schema-registry settings of {@link AvroSerdeFactory}
   */
  public SamplePublisher(Map<String, ?> clientConfig) {
    this(clientConfig, new AvroSerdeFactory(clientConfig));
  }

  /** With a given serde factory (tests, embedded setups), to the default topics. */
  public SamplePublisher(Map<String, ?> clientConfig, AvroSerdeFactory serdes) {
    this(
        clientConfig,
        serdes,
        Contracts.SYNTHETIC_SAMPLES.topic(),
        Contracts.REFERENCE_SAMPLES.topic());
  }

  /**
   * @param syntheticTopic where synthetic samples go
   * @param referenceTopic where reference samples go (should be compacted)
   */
  public SamplePublisher(
      Map<String, ?> clientConfig,
      AvroSerdeFactory serdes,
      String syntheticTopic,
      String referenceTopic) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    Serde<SyntheticSample> syntheticSerde = serdes.valueSerde(SyntheticSample.class);
    Serde<ReferenceSample> referenceSerde = serdes.valueSerde(ReferenceSample.class);
    this.synthetic =
        new KafkaProducer<>(config, new StringSerializer(), syntheticSerde.serializer());
    Map<String, Object> referenceConfig = new HashMap<>(config);
    referenceConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    this.reference =
        new KafkaProducer<>(referenceConfig, new StringSerializer(), referenceSerde.serializer());
    this.syntheticTopic = syntheticTopic;
    this.referenceTopic = referenceTopic;
  }

  /** Sends one synthetic sample; the future completes when the broker has it. */
  public Future<RecordMetadata> sample(
      String generatorId, String sampleId, String text, Instant eventTime) {
    SyntheticSample value =
        SyntheticSample.newBuilder()
            .setGeneratorId(generatorId)
            .setSampleId(sampleId)
            .setText(text)
            .setEventTime(eventTime)
            .build();
    return synthetic.send(
        new ProducerRecord<>(syntheticTopic, generatorId, value), syntheticFailures);
  }

  /** Sends one reference sample of a reference-set version. */
  public Future<RecordMetadata> referenceSample(
      String referenceSetId, String version, String sampleId, String text, Instant eventTime) {
    ReferenceSample value =
        ReferenceSample.newBuilder()
            .setReferenceSetId(referenceSetId)
            .setReferenceVersion(version)
            .setSampleId(sampleId)
            .setText(text)
            .setEventTime(eventTime)
            .build();
    return reference.send(
        new ProducerRecord<>(referenceTopic, referenceSetId + "/" + sampleId, value),
        referenceFailures);
  }

  /**
   * Waits until every sent record is acknowledged or given up on.
   *
   * @throws PublishFailedException when a record sent since the last flush was not written (the
   *     message names the topic, the count and the first error)
   */
  public void flush() {
    synthetic.flush();
    reference.flush();
    syntheticFailures.throwIfAny(syntheticTopic);
    referenceFailures.throwIfAny(referenceTopic);
  }

  @Override
  public void close() {
    synthetic.close();
    reference.close();
  }
}
