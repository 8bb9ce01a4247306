package dev.synque.monitor.cli;

import dev.synque.monitor.contracts.Contract;
import dev.synque.monitor.contracts.Contracts;
import dev.synque.monitor.serde.RestSchemaRegistryClient;
import dev.synque.monitor.serde.SchemaRegistryClient;
import dev.synque.monitor.serde.SchemaRegistryException;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.serde.SubjectNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synque schemas}: shows the Avro contracts and registers them ahead of producers. */
@Command(
    name = "schemas",
    description = "List the topics and Avro contracts, or register them in a schema registry.",
    mixinStandardHelpOptions = true,
    subcommands = {SchemasCommand.ListCommand.class, SchemasCommand.RegisterCommand.class})
final class SchemasCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", description = "Print each topic, its subject and its value record.")
  static final class ListCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--schema", description = "Also print each value schema as JSON.")
    boolean printSchemas;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-30s %-36s %-16s %s%n", "TOPIC", "SUBJECT", "VALUE", "PURPOSE");
      for (Contract contract : Contracts.ALL) {
        out.printf(
            "%-30s %-36s %-16s %s%s%n",
            contract.topic(),
            SubjectNames.topicName(contract.topic(), false),
            contract.valueType().getSimpleName(),
            contract.purpose(),
            contract.compacted() ? " (compacted)" : "");
        if (printSchemas) {
          out.println(contract.valueSchema().toString(true));
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "register",
      description =
          "Register every value schema under its topic-name subject (for registries where"
              + " producers may not auto-register).")
  static final class RegisterCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--registry-url",
        description = "Schema registry URL(s), comma-separated (Confluent API root).")
    String registryUrl;

    @Option(
        names = "--registry-config",
        description =
            "Properties file with schema.registry.* and basic.auth.* settings (TLS, credentials).")
    Path registryConfig;

    @Override
    public Integer call() throws IOException {
      Map<String, Object> config = new HashMap<>();
      if (registryConfig != null) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(registryConfig)) {
          properties.load(in);
        }
        properties.forEach((k, v) -> config.put(k.toString(), v));
      }
      if (registryUrl != null) {
        config.put(SchemaRegistrySettings.URL, registryUrl);
      }
      SchemaRegistryClient client =
          new RestSchemaRegistryClient(SchemaRegistrySettings.fromConfig(config));
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int failures = 0;
      for (Contract contract : Contracts.ALL) {
        String subject = SubjectNames.topicName(contract.topic(), false);
        try {
          int id = client.register(subject, contract.valueSchema());
          out.printf("%-36s id %d%n", subject, id);
        } catch (SchemaRegistryException e) {
          failures++;
          err.printf("%-36s FAILED: %s%n", subject, e.getMessage());
          if (e.kind() == SchemaRegistryException.Kind.UNREACHABLE) {
            break; // the other subjects would fail the same way
          }
        }
      }
      out.flush();
      err.flush();
      return failures == 0 ? 0 : 1;
    }
  }
}
