package dev.synque.monitor.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker running inside the test JVM: a single KRaft node that is both broker
 * and controller, built with Kafka's own {@link KafkaClusterTestKit}.
 *
 * <p>It speaks the real wire protocol on a real TCP port, so producers, consumers, consumer groups,
 * transactions and Kafka Streams behave as against a production cluster (minus replication). The
 * single-node defaults that a one-broker cluster needs (replication factor 1 for the offsets and
 * transaction-state topics, no initial rebalance delay) are always applied; extra broker properties
 * (for example listeners and security settings) can be added through {@link #builder()} and win
 * over the defaults.
 *
 * <p>Data lives in a temporary directory that is deleted on {@link #close()}.
 *
 * <p>For fault tests the broker can be stopped and started again in place ({@link #stopBroker()},
 * {@link #startBroker()}): same port, same log directories, the controller keeps running, as when a
 * broker process restarts. With {@link Builder#secureListener} the broker also listens on a {@code
 * SASL_SSL} listener with SCRAM-SHA-256 and the given certificate ({@link
 * #secureBootstrapServers()}); the plain listener stays for the test's own setup.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build()) {
 *   kafka.start();
 *   kafka.createTopic("events", 3);
 *   ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

  /**
   * Broker settings every single-node cluster needs. Without the replication factors of 1, the
   * internal {@code __consumer_offsets} and {@code __transaction_state} topics cannot be created
   * (default factor 3) and consumer groups and transactions hang. One partition each (instead of
   * 50) keeps the first group and transaction fast. Unlimited retention: see below.
   */
  private static final Map<String, String> SINGLE_NODE_DEFAULTS =
      Map.of(
          "offsets.topic.replication.factor", "1",
          "offsets.topic.num.partitions", "1",
          "transaction.state.log.replication.factor", "1",
          "transaction.state.log.min.isr", "1",
          "transaction.state.log.num.partitions", "1",
          "group.initial.rebalance.delay.ms", "0",
          // Tests give samples fixed event times near 1970 (deterministic runs), and an output
          // record carries its input's timestamp: with the default 7-day retention, the broker's
          // retention check (30 s after start, then every 5 min) deleted whole segments of a
          // shared broker's topics mid-suite, and readers saw scores "missing".
          "log.retention.ms", "-1",
          // KafkaClusterTestKit enables unreleased protocol and feature versions by default; a
          // test broker should behave like a released one.
          "unstable.api.versions.enable", "false",
          "unstable.feature.versions.enable", "false");

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

  /** Name of the {@code SASL_SSL} listener added by {@link Builder#secureListener}. */
  public static final String SECURE_LISTENER = "SECURE";

  /** The SCRAM mechanism of the secure listener. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-256";

  private final Map<String, String> brokerProperties;
  private final SecureListener secure;
  private KafkaClusterTestKit cluster;
  private String bootstrapServers;

  private EmbeddedKafkaCluster(Map<String, String> brokerProperties, SecureListener secure) {
    this.brokerProperties = Map.copyOf(brokerProperties);
    this.secure = secure;
  }

  /**
   * A {@code SASL_SSL} listener: SCRAM-SHA-256 with one user, TLS with a PKCS12 key store.
   *
   * @param user the SCRAM user created when the cluster starts
   * @param password that user's password
   * @param certificates the broker's key store (certificate for {@code localhost})
   */
  public record SecureListener(String user, String password, TestCertificates certificates) {}

  /** A cluster with the single-node defaults only. */
  public static EmbeddedKafkaCluster create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The broker properties this cluster starts with: single-node defaults plus any overrides. */
  public Map<String, String> brokerProperties() {
    return brokerProperties;
  }

  /**
   * Formats the storage, starts the node and waits until the broker is registered, unfenced and
   * serving metadata. Idempotent.
   */
  public synchronized void start() {
    if (cluster != null) {
      return;
    }
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(
            new TestKitNodes.Builder(releasedFeatures())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build());
    brokerProperties.forEach(builder::setConfigProp);
    KafkaClusterTestKit started = null;
    try {
      started = builder.build();
      started.format();
      started.startup();
      started.waitForReadyBrokers();
      bootstrapServers = started.bootstrapServers();
      cluster = started;
      if (secure != null) {
        createScramUser(secure);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(started);
      throw new IllegalStateException("Interrupted while starting the embedded Kafka broker", e);
    } catch (Exception e) {
      closeQuietly(started);
      throw new IllegalStateException("Could not start the embedded Kafka broker", e);
    }
  }

  /**
   * The metadata version and feature levels that {@code kafka-storage format} gives a new cluster
   * of this Kafka release. The test kit's own default is the newest unreleased metadata version
   * with testing-only feature levels, and its {@code setBootstrapMetadataVersion} drops the feature
   * levels altogether (leaving group.version, transaction.version and streams.version at 0).
   */
  private static BootstrapMetadata releasedFeatures() {
    MetadataVersion version = MetadataVersion.latestProduction();
    Map<String, Short> levels = new TreeMap<>();
    for (Feature feature : Feature.PRODUCTION_FEATURES) {
      if (feature != Feature.KRAFT_VERSION) { // set by the formatter from the quorum config
        levels.put(feature.featureName(), feature.defaultLevel(version));
      }
    }
    return BootstrapMetadata.fromVersions(version, levels, "synque-testkit");
  }

  /**
   * Stops the broker (not the controller) as a broker restart would: clients lose their
   * connections, data stays. Wait for nothing: the broker is down when this returns.
   */
  public synchronized void stopBroker() {
    requireStarted().brokers().values().forEach(BrokerServer::shutdown);
  }

  /**
   * Starts the broker stopped by {@link #stopBroker()} on the same port and log directories and
   * waits until it is registered, unfenced and serving metadata.
   */
  public synchronized void startBroker() {
    KafkaClusterTestKit kit = requireStarted();
    kit.brokers().values().forEach(BrokerServer::startup);
    try {
      kit.waitForReadyBrokers();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while restarting the broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("The broker did not come back", e);
    }
  }

  /**
   * {@code host:port} of the {@code SASL_SSL} listener; only with {@link Builder#secureListener}.
   */
  public synchronized String secureBootstrapServers() {
    if (secure == null) {
      throw new IllegalStateException("This cluster has no secure listener");
    }
    BrokerServer broker = requireStarted().brokers().values().iterator().next();
    return "localhost:" + broker.boundPort(ListenerName.normalised(SECURE_LISTENER));
  }

  private KafkaClusterTestKit requireStarted() {
    if (cluster == null) {
      throw new IllegalStateException("The embedded Kafka cluster is not started");
    }
    return cluster;
  }

  /** Creates the SCRAM user through the plain listener and waits until the broker knows it. */
  private void createScramUser(SecureListener listener) {
    try (Admin admin = admin()) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      listener.user(),
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                      listener.password())))
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      await("SCRAM credentials of " + listener.user())
          .dontCatchUncaughtExceptions()
          .atMost(ADMIN_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(
              () ->
                  !admin
                      .describeUserScramCredentials(List.of(listener.user()))
                      .all()
                      .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                      .isEmpty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating the SCRAM user", e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not create the SCRAM user " + listener.user(), e);
    }
  }

  /** {@code host:port} of the broker's client listener; only valid after {@link #start()}. */
  public synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      throw new IllegalStateException("The embedded Kafka cluster is not started");
    }
    return bootstrapServers;
  }

  /**
   * The minimal client configuration to reach this cluster ({@code bootstrap.servers}); a mutable
   * copy that callers extend with serializers, group ids and so on.
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return properties;
  }

  /** An admin client for this cluster; the caller closes it. */
  public Admin admin() {
    return Admin.create(clientProperties());
  }

  /**
   * Creates a topic with replication factor 1 and waits until every partition has a leader that the
   * broker's metadata knows about.
   */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /** Like {@link #createTopic(String, int)} with topic-level configs (e.g. cleanup.policy). */
  public void createTopic(String name, int partitions, Map<String, String> topicConfigs) {
    Objects.requireNonNull(name, "name");
    NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(topicConfigs);
    try (Admin admin = admin()) {
      admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      await("leaders for all partitions of topic " + name)
          .dontCatchUncaughtExceptions()
          .atMost(ADMIN_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> hasLeaderForEveryPartition(admin, name, partitions));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not create topic " + name, e);
    }
  }

  private static boolean hasLeaderForEveryPartition(Admin admin, String name, int partitions)
      throws Exception {
    TopicDescription description =
        admin
            .describeTopics(List.of(name))
            .allTopicNames()
            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .get(name);
    return description.partitions().size() == partitions
        && description.partitions().stream().allMatch(p -> p.leader() != null);
  }

  /** Stops the node and deletes its data. Idempotent. */
  @Override
  public synchronized void close() {
    KafkaClusterTestKit toClose = cluster;
    cluster = null;
    bootstrapServers = null;
    if (toClose == null) {
      return;
    }
    try {
      toClose.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping the embedded Kafka broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop the embedded Kafka broker cleanly", e);
    }
  }

  private static void closeQuietly(KafkaClusterTestKit started) {
    if (started == null) {
      return;
    }
    try {
      started.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception ignored) {
      // Reporting the start failure matters more than a failure to clean up after it.
    }
  }

  /** Collects broker properties; later values for the same key replace earlier ones. */
  public static final class Builder {
    private final Map<String, String> properties = new LinkedHashMap<>(SINGLE_NODE_DEFAULTS);
    private SecureListener secure;

    private Builder() {}

    /**
     * Adds a {@code SASL_SSL} listener named {@value #SECURE_LISTENER} with SCRAM-SHA-256 and the
     * given certificate, next to the plain one.
     */
    public Builder secureListener(SecureListener listener) {
      this.secure = Objects.requireNonNull(listener, "listener");
      String prefix = "listener.name." + SECURE_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
      properties.put(
          "listeners",
          "EXTERNAL://localhost:0,CONTROLLER://localhost:0," + SECURE_LISTENER + "://localhost:0");
      properties.put(
          "listener.security.protocol.map",
          "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT," + SECURE_LISTENER + ":SASL_SSL");
      properties.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
      properties.put(
          prefix + SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      properties.put(prefix + "ssl.keystore.type", "PKCS12");
      properties.put(
          prefix + "ssl.keystore.location", listener.certificates().keyStore().toString());
      properties.put(prefix + "ssl.keystore.password", listener.certificates().password());
      properties.put(prefix + "ssl.key.password", listener.certificates().password());
      return this;
    }

    /** Sets a broker property, overriding the single-node default for that key if there is one. */
    public Builder brokerProperty(String key, String value) {
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder brokerProperties(Map<String, String> more) {
      more.forEach(this::brokerProperty);
      return this;
    }

    /** A cluster that is not started yet; call {@link EmbeddedKafkaCluster#start()}. */
    public EmbeddedKafkaCluster build() {
      return new EmbeddedKafkaCluster(properties, secure);
    }
  }
}
