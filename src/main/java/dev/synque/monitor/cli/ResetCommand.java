package dev.synque.monitor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synque reset --config FILE}: starts the monitor over, as Kafka's streams reset tool does,
 * for the application of the file ({@code application.id}, default {@code synque-monitor}). It
 * refuses while the application's consumer group has members: stop every instance first, and wait
 * for the session timeout, because Kafka Streams does not leave its group when it closes. Then it
 * deletes the committed offsets (the consumer group), so that the next start reads the input topics
 * from the beginning ({@code auto.offset.reset=earliest}, Kafka Streams' default); deletes the
 * internal topics ({@code <application.id>-...-changelog} and {@code -repartition}); and deletes
 * the local state of this machine ({@code <state.dir>/<application.id>}). Input and output topics
 * are left as they are. Other machines' state directories must be deleted there (in Kubernetes: the
 * monitor's PersistentVolumeClaims, or {@code reset} in each pod with {@code --local-only}).
 */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Reset the monitor application: committed offsets, internal topics, local state.",
      "Refuses while the application's consumer group has members.",
      "Exit codes: 0 reset (or, with --dry-run, what would be reset printed), 1 refused or the"
          + " cluster failed, 2 bad arguments."
    })
final class ResetCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      description = "The monitor's properties file (bootstrap.servers, application.id, state.dir).")
  Path config;

  @Option(names = "--bootstrap-servers", description = "Overrides bootstrap.servers of --config.")
  String bootstrapServers;

  @Option(names = "--dry-run", description = "Print what would be reset; change nothing.")
  boolean dryRun;

  @Option(
      names = "--local-only",
      description = "Delete only this machine's local state (another instance's pod, for example).")
  boolean localOnly;

  @Option(
      names = "--timeout-seconds",
      defaultValue = "60",
      description = "Longest wait for each answer of the cluster (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException("--config " + config + ": no such file");
    }
    Properties file = new Properties();
    try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
      file.load(reader);
    }
    Map<String, Object> map = new HashMap<>();
    file.forEach((k, v) -> map.put(k.toString(), v.toString().trim()));
    if (bootstrapServers != null) {
      map.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
    String applicationId =
        map.getOrDefault(StreamsConfig.APPLICATION_ID_CONFIG, "synque-monitor").toString();
    Path stateDir =
        Path.of(
                map.getOrDefault(
                        StreamsConfig.STATE_DIR_CONFIG,
                        Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toString())
                    .toString())
            .resolve(applicationId);
    PrintWriter out = spec.commandLine().getOut();
    String verb = dryRun ? "would delete" : "deleted";

    if (!localOnly) {
      if (!map.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
        throw new IllegalArgumentException(
            "bootstrap.servers: is required (--bootstrap-servers or in --config)");
      }
      try (Admin admin = Admin.create(ClusterTopics.adminConfig(map))) {
        int members = members(admin, applicationId);
        if (members > 0) {
          spec.commandLine()
              .getErr()
              .println(
                  "synque: application "
                      + applicationId
                      + " has "
                      + members
                      + " active member(s); stop every instance before resetting it (a stopped"
                      + " instance stays a member until its session.timeout.ms has passed)");
          spec.commandLine().getErr().flush();
          return 1;
        }
        List<String> internal =
            await(admin.listTopics().names()).stream()
                .filter(t -> isInternal(applicationId, t))
                .sorted()
                .toList();
        if (!dryRun) {
          try {
            await(admin.deleteConsumerGroups(List.of(applicationId)).all());
          } catch (ClusterUnavailableException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
              throw e;
            }
          }
          await(admin.deleteTopics(internal).all());
        }
        out.println(verb + " the committed offsets of consumer group " + applicationId);
        for (String topic : internal) {
          out.println(verb + " internal topic " + topic);
        }
      }
    }
    if (Files.isDirectory(stateDir)) {
      if (!dryRun) {
        deleteRecursively(stateDir);
      }
      out.println(verb + " local state " + stateDir);
    } else {
      out.println("no local state at " + stateDir);
    }
    out.flush();
    return 0;
  }

  /** Whether {@code topic} is one of Kafka Streams' internal topics of {@code applicationId}. */
  static boolean isInternal(String applicationId, String topic) {
    return topic.startsWith(applicationId + "-")
        && (topic.endsWith("-changelog") || topic.endsWith("-repartition"));
  }

  private int members(Admin admin, String groupId) {
    Map<String, ConsumerGroupDescription> groups;
    try {
      groups = await(admin.describeConsumerGroups(List.of(groupId)).all());
    } catch (ClusterUnavailableException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return 0; // never started, or reset before
      }
      throw e;
    }
    ConsumerGroupDescription group = groups.get(groupId);
    return group == null ? 0 : group.members().size();
  }

  private <T> T await(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to the cluster", e);
    } catch (ExecutionException e) {
      throw new ClusterUnavailableException(
          "the Kafka cluster refused the request: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new ClusterUnavailableException(
          "the Kafka cluster did not answer within " + timeoutSeconds + " s", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the local state " + dir, e);
    }
  }
}
