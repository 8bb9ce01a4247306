package dev.synque.monitor.cli;

import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.metrics.MetricsSettings;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.stream.MonitorStreamsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Writes {@code docs/configuration.md}, the configuration reference, from the code's {@link
 * ConfigDef}s and the monitor's Kafka Streams defaults. {@code ConfigurationReferenceTest} fails
 * when the file and the code disagree; {@code bin/config-reference} rewrites it.
 */
public final class ConfigurationReference {

  /** Where the reference lives, relative to the repository root. */
  public static final Path FILE = Path.of("docs/configuration.md");

  /** The command that rewrites {@link #FILE}. */
  public static final String REGENERATE = "bin/config-reference";

  /** One documented group of keys. */
  record Area(String title, String readBy, ConfigDef config, List<String> keys) {

    Area {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(readBy, "readBy");
      Objects.requireNonNull(config, "config");
      keys = keys == null ? List.copyOf(config.configKeys().keySet()) : List.copyOf(keys);
    }
  }

  /** Every area, in the order of the reference. */
  static List<Area> areas() {
    return List.of(
        new Area(
            "Monitor", "`synque run` (`MonitorSettings.CONFIG`)", MonitorSettings.CONFIG, null),
        new Area(
            "Embedder",
            "`synque run`; `synque embed` and `synque evaluate` take the same settings as options"
                + " (`EmbedderSettings.CONFIG`)",
            EmbedderSettings.CONFIG,
            null),
        new Area(
            "Metrics endpoint of the monitor",
            "`synque run` (`MetricsSettings.CONFIG`)",
            MetricsSettings.CONFIG,
            List.of(MetricsSettings.PORT, MetricsSettings.MAX_GENERATORS)),
        new Area(
            "Schema registry",
            "every command that reads or writes Avro records (`synque run`, `synque lens-worker`,"
                + " `synque schemas`, the publishing commands); the keys are Confluent's own"
                + " (`SchemaRegistrySettings.CONFIG`, `AvroSerdeFactory.CONFIG`)",
            merge(SchemaRegistrySettings.CONFIG, AvroSerdeFactory.CONFIG),
            null),
        new Area(
            "LLM and LENS",
            "`synque lens-worker` and `synque lens` (`LlmSettings.CONFIG`)",
            LlmSettings.CONFIG,
            null),
        new Area(
            "LENS worker",
            "`synque lens-worker` (`LensWorkerCommand.CONFIG`, and `MetricsSettings.CONFIG` for"
                + " the port)",
            merge(LensWorkerCommand.CONFIG, MetricsSettings.CONFIG),
            List.of(
                LensWorkerCommand.REQUESTS_TOPIC,
                LensWorkerCommand.RESULTS_TOPIC,
                LensWorkerCommand.DEAD_LETTERS_TOPIC,
                "group.id",
                MetricsSettings.LENS_PORT,
                MetricsSettings.MAX_GENERATORS,
                dev.synque.monitor.stream.LifecycleSettings.RETIRE_MS)));
  }

  private ConfigurationReference() {}

  /** Writes the reference to the path given, or to {@link #FILE}. */
  public static void main(String[] args) throws IOException {
    Path target = args.length > 0 ? Path.of(args[0]) : FILE;
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.writeString(target, markdown(), StandardCharsets.UTF_8);
    System.out.println("wrote " + target);
  }

  /** The reference as Markdown. */
  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Configuration reference\n\n")
        .append("<!-- Generated from the code's ConfigDefs by ")
        .append(REGENERATE)
        .append("; do not edit by hand. -->\n\n")
        .append(
            "Every key each command reads, with its type, default, valid values and meaning."
                + " Generated from the `ConfigDef`s in the code: after adding or changing a key,"
                + " run `")
        .append(REGENERATE)
        .append(
            "` and commit the result (`ConfigurationReferenceTest` fails while this file and"
                + " the code disagree).\n\n")
        .append(
            "`synque run --config FILE` reads one properties file: the `synque.*` keys of the"
                + " monitor, embedder and metrics areas, the schema-registry keys, and every"
                + " other key, which passes through to Kafka Streams (`bootstrap.servers` is"
                + " required). The LENS worker's file (`synque lens-worker --config FILE`) holds"
                + " the LLM, LENS worker and registry keys and the Kafka client keys. A bad value"
                + " stops the command with exit code 2 and one line naming the key and the"
                + " rule.\n\n");
    for (Area area : areas()) {
      md.append("## ").append(area.title()).append("\n\n");
      md.append("Read by ").append(area.readBy()).append(".\n\n");
      md.append("| Key | Type | Default | Valid values | Importance | Description |\n");
      md.append("| --- | --- | --- | --- | --- | --- |\n");
      for (String name : area.keys()) {
        ConfigDef.ConfigKey key = area.config().configKeys().get(name);
        if (key == null) {
          throw new IllegalStateException(area.title() + ": no key " + name);
        }
        md.append("| `")
            .append(key.name)
            .append("` | ")
            .append(key.type.toString().toLowerCase(java.util.Locale.ROOT))
            .append(" | ")
            .append(defaultOf(key))
            .append(" | ")
            .append(key.validator == null ? "" : cell(key.validator.toString()))
            .append(" | ")
            .append(key.importance.toString().toLowerCase(java.util.Locale.ROOT))
            .append(" | ")
            .append(cell(key.documentation))
            .append(" |\n");
      }
      md.append('\n');
    }
    appendStreamsDefaults(md);
    return md.toString();
  }

  private static void appendStreamsDefaults(StringBuilder md) {
    Properties props = MonitorStreamsConfig.from(Map.of("bootstrap.servers", "localhost:9092"));
    Map<String, String> set = new TreeMap<>();
    props.forEach((k, v) -> set.put(k.toString(), String.valueOf(v)));
    set.remove("bootstrap.servers");
    md.append("## Kafka Streams defaults of the monitor\n\n")
        .append(
            "Every key of the monitor's file that does not start with `synque.` goes to Kafka"
                + " Streams (see Kafka's Streams, producer and consumer configuration). Where the"
                + " file says nothing the monitor sets these (`MonitorStreamsConfig`; the class"
                + " comment says why). The last column is Kafka Streams' own default; under"
                + " exactly-once Kafka Streams commits every 100 ms unless `commit.interval.ms`"
                + " is set.\n\n")
        .append("| Key | Monitor default | Kafka Streams default |\n")
        .append("| --- | --- | --- |\n");
    ConfigDef streams = StreamsConfig.configDef();
    Map<String, Object> kafka = streams.defaultValues();
    set.forEach(
        (k, v) ->
            md.append("| `")
                .append(k)
                .append("` | `")
                .append(v)
                .append("` | ")
                .append(
                    kafka.containsKey(k)
                        ? "`" + kafka.get(k) + "`"
                        : streams.names().contains(k) ? "required" : "the client's or topic's")
                .append(" |\n"));
    md.append('\n');
  }

  private static String defaultOf(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "required";
    }
    if (key.defaultValue == null) {
      return "unset";
    }
    String text = ConfigDef.convertToString(key.defaultValue, key.type);
    return text.isEmpty() ? "empty" : "`" + text + "`";
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ").strip();
  }

  private static ConfigDef merge(ConfigDef... defs) {
    ConfigDef merged = new ConfigDef();
    for (ConfigDef def : defs) {
      def.configKeys().values().forEach(merged::define);
    }
    return merged;
  }
}
