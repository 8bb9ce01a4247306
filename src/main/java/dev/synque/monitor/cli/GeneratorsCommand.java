package dev.synque.monitor.cli;

import dev.synque.monitor.stream.LifecycleSettings;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lifecycle commands for generators: {@code synque generators retire ID}. */
@Command(
    name = "generators",
    description = "Lifecycle commands for generators.",
    mixinStandardHelpOptions = true,
    subcommands = {GeneratorsCommand.Retire.class})
final class GeneratorsCommand implements Runnable {

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "name a subcommand: retire");
  }

  /**
   * Writes a retire command for one generator to the control topic. The monitor applies it in its
   * own exactly-once transactions; the producer is idempotent and a repeated command changes
   * nothing, so the command takes effect once.
   */
  @Command(
      name = "retire",
      description =
          "Retire a generator now: it leaves the ranking (its final standing stays queryable),"
              + " every store and the metrics. A generator that sends samples again afterwards"
              + " starts afresh.",
      mixinStandardHelpOptions = true)
  static final class Retire implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The generator id.")
    String generator;

    @Mixin ClusterOptions cluster;

    @Option(
        names = "--control-topic",
        defaultValue = "synque-generator-control-v1",
        description = "Compacted topic of lifecycle commands (default: ${DEFAULT-VALUE}).")
    String controlTopic;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InterruptedException, ExecutionException {
      Map<String, Object> config = new HashMap<>(cluster.clientConfig());
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      long at = clock.millis();
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
        RecordMetadata meta =
            producer
                .send(
                    new ProducerRecord<>(
                        controlTopic, generator, LifecycleSettings.retireCommand(at)))
                .get();
        System.out.printf(
            "retire %s at %d written to %s partition %d offset %d%n",
            generator, at, meta.topic(), meta.partition(), meta.offset());
      }
      return 0;
    }
  }
}
