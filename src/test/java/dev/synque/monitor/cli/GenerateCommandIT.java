package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code synque generate} against the real broker and registry: what is sent is what arrives. */
@ExtendWith(SharedInfrastructure.class)
class GenerateCommandIT {

  @TempDir Path dir;

  private static <V> List<ConsumerRecord<String, V>> readAll(
      String topic, Deserializer<V> values, int expected) {
    EmbeddedKafkaCluster kafka = SharedInfrastructure.kafka();
    Map<String, Object> config = new HashMap<>(kafka.clientProperties());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static int run(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "generate";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.of(all).exitCode();
  }

  @Test
  void shouldPublishAFileSkippingBadLinesAndAReferenceSet() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String synthetic = "it-synthetic-" + suffix;
    String reference = "it-reference-" + suffix;
    SharedInfrastructure.kafka().createTopic(synthetic, 2);
    SharedInfrastructure.kafka().createTopic(reference, 1, Map.of("cleanup.policy", "compact"));
    Path file = dir.resolve("gen.jsonl");
    Files.writeString(file, "{\"text\":\"one\"}\n{\"oops\":1}\n{\"text\":\"three\"}\n");
    String[] cluster = {
      "--bootstrap-servers",
      SharedInfrastructure.kafka().bootstrapServers(),
      "--registry-url",
      SharedInfrastructure.registry().confluentCompatUrl(),
      "--synthetic-topic",
      synthetic,
      "--reference-topic",
      reference
    };

    int fileExit =
        run(
            concat(
                new String[] {"file", "--input", file.toString(), "--generator-id", "g1"},
                cluster));
    int refExit =
        run(
            concat(
                new String[] {
                  "reference",
                  "--input",
                  file.toString(),
                  "--reference-set",
                  "news",
                  "--version",
                  "v2"
                },
                cluster));

    // 1: a line was skipped (reported), the good ones were sent.
    assertThat(fileExit).isEqualTo(1);
    assertThat(refExit).isEqualTo(1);
    AvroSerdeFactory serdes =
        new AvroSerdeFactory(
            Map.of(
                SchemaRegistrySettings.URL, SharedInfrastructure.registry().confluentCompatUrl()));
    List<ConsumerRecord<String, SyntheticSample>> samples =
        readAll(synthetic, serdes.valueSerde(SyntheticSample.class).deserializer(), 2);
    assertThat(samples).extracting(ConsumerRecord::key).containsOnly("g1");
    assertThat(samples)
        .extracting(r -> r.value().getText())
        .containsExactlyInAnyOrder("one", "three");
    assertThat(samples)
        .extracting(r -> r.value().getSampleId())
        .containsExactlyInAnyOrder("g1-0", "g1-1");
    List<ConsumerRecord<String, ReferenceSample>> refs =
        readAll(reference, serdes.valueSerde(ReferenceSample.class).deserializer(), 2);
    assertThat(refs)
        .extracting(ConsumerRecord::key)
        .containsExactlyInAnyOrder("news/news-0", "news/news-1");
    assertThat(refs).allSatisfy(r -> assertThat(r.value().getReferenceVersion()).isEqualTo("v2"));
  }

  /**
   * A record the broker refuses (here: larger than the topic allows) is not reported as published:
   * the command names the topic, the count and the broker's reason, and exits 1.
   */
  @Test
  void shouldFailNamingTheTopicWhenTheBrokerRefusesARecord() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String synthetic = "it-refused-" + suffix;
    SharedInfrastructure.kafka().createTopic(synthetic, 1, Map.of("max.message.bytes", "2000"));
    Path file = dir.resolve("big.jsonl");
    Files.writeString(file, "{\"text\":\"short\"}\n{\"text\":\"" + "x".repeat(5_000) + "\"}\n");

    CliRun run =
        CliRun.of(
            "generate",
            "file",
            "--input",
            file.toString(),
            "--generator-id",
            "g1",
            "--bootstrap-servers",
            SharedInfrastructure.kafka().bootstrapServers(),
            "--registry-url",
            SharedInfrastructure.registry().confluentCompatUrl(),
            "--synthetic-topic",
            synthetic);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("1 record(s) were not written to topic " + synthetic)
        .contains("RecordTooLargeException");
    assertThat(run.out()).doesNotContain("published 2");
  }

  @Test
  void shouldPublishTheDemoGeneratorsAndTheirReference() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String synthetic = "it-demo-synthetic-" + suffix;
    String reference = "it-demo-reference-" + suffix;
    SharedInfrastructure.kafka().createTopic(synthetic, 3);
    SharedInfrastructure.kafka().createTopic(reference, 1, Map.of("cleanup.policy", "compact"));
    int exit =
        run(
            "demo",
            "--count",
            "4",
            "--rate",
            "0",
            "--reference-size",
            "5",
            "--bootstrap-servers",
            SharedInfrastructure.kafka().bootstrapServers(),
            "--registry-url",
            SharedInfrastructure.registry().confluentCompatUrl(),
            "--synthetic-topic",
            synthetic,
            "--reference-topic",
            reference);
    assertThat(exit).isZero();
    AvroSerdeFactory serdes =
        new AvroSerdeFactory(
            Map.of(
                SchemaRegistrySettings.URL, SharedInfrastructure.registry().confluentCompatUrl()));
    List<ConsumerRecord<String, SyntheticSample>> samples =
        readAll(synthetic, serdes.valueSerde(SyntheticSample.class).deserializer(), 20);
    assertThat(samples).hasSize(20);
    assertThat(samples)
        .extracting(ConsumerRecord::key)
        .containsOnly("faithful", "templated", "collapsed", "off-topic", "drifting");
    assertThat(readAll(reference, serdes.valueSerde(ReferenceSample.class).deserializer(), 5))
        .hasSize(5);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
