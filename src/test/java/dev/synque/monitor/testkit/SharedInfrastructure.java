package dev.synque.monitor.testkit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded Kafka broker and one Apicurio Registry per test JVM, started lazily on first use and
 * stopped by a JVM shutdown hook, so that all integration test classes in a failsafe run share
 * them.
 *
 * <p>Use from {@code @BeforeAll} (not from a parameter resolver: JUnit turns an abort there into a
 * failure):
 *
 * <pre>{@code
 * @BeforeAll
 * static void infrastructure() {
 *   kafka = SharedInfrastructure.kafka();
 *   registry = SharedInfrastructure.registry();
 * }
 * }</pre>
 *
 * <p>Tests share state, so each test uses its own topic names, consumer group ids, transactional
 * ids and subjects (e.g. with a random suffix). A class that needs a broker with special settings
 * (e.g. SASL) builds its own {@link EmbeddedKafkaCluster} instead.
 *
 * <p>Thread-safe. If a start fails, later calls fail (or abort) the same way without retrying, so a
 * broken registry costs one startup timeout per run rather than one per test class.
 */
public final class SharedInfrastructure implements BeforeAllCallback {

  private static final Logger LOG = LoggerFactory.getLogger(SharedInfrastructure.class);
  private static final Object KAFKA_LOCK = new Object();
  private static final Object REGISTRY_LOCK = new Object();

  private static EmbeddedKafkaCluster kafka;
  private static RuntimeException kafkaFailure;
  private static ApicurioRegistry registry;
  private static RuntimeException registryFailure;
  private static boolean shutdownHookInstalled;

  /** For {@code @ExtendWith}; the infrastructure itself is static. */
  public SharedInfrastructure() {}

  /** Stops the shared infrastructure when the root extension context (the JUnit run) closes. */
  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(SharedInfrastructure.class))
        .getOrComputeIfAbsent(Stopper.class, key -> new Stopper(), Stopper.class);
  }

  /** The shared, started broker. */
  public static EmbeddedKafkaCluster kafka() {
    synchronized (KAFKA_LOCK) {
      if (kafka == null) {
        rethrow(kafkaFailure);
        installShutdownHook();
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.create();
        long startNanos = System.nanoTime();
        try {
          cluster.start();
        } catch (RuntimeException e) {
          kafkaFailure = e;
          throw e;
        }
        kafka = cluster;
        LOG.info(
            "Embedded Kafka started at {} in {} ms",
            cluster.bootstrapServers(),
            (System.nanoTime() - startNanos) / 1_000_000);
      }
      return kafka;
    }
  }

  /** The shared, ready registry; aborts the caller when it cannot be run here. */
  public static ApicurioRegistry registry() {
    synchronized (REGISTRY_LOCK) {
      if (registry == null) {
        rethrow(registryFailure);
        installShutdownHook();
        try {
          registry = ApicurioRegistry.start();
        } catch (RuntimeException e) {
          registryFailure = e;
          throw e;
        }
        LOG.info(
            "Apicurio Registry started at {} in {} ms (log: {}, command: {})",
            registry.baseUrl(),
            registry.startupTime().toMillis(),
            registry.logFile(),
            String.join(" ", registry.command()));
      }
      return registry;
    }
  }

  private static void rethrow(RuntimeException earlierFailure) {
    if (earlierFailure instanceof TestAbortedException) {
      Assumptions.abort(earlierFailure.getMessage());
    }
    if (earlierFailure != null) {
      throw new IllegalStateException(
          "Shared test infrastructure failed to start earlier in this run", earlierFailure);
    }
  }

  private static synchronized void installShutdownHook() {
    if (!shutdownHookInstalled) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  SharedInfrastructure::stopAllOnExit, "shared-test-infrastructure-shutdown"));
      shutdownHookInstalled = true;
    }
  }

  /** Closed by JUnit at the end of the run: stops whatever was started. */
  private static final class Stopper implements AutoCloseable {
    @Override
    public void close() {
      stopAll();
    }
  }

  private static void stopAll() {
    synchronized (REGISTRY_LOCK) {
      ApicurioRegistry toStop = registry;
      registry = null;
      if (toStop != null) {
        toStop.close();
        LOG.info("Apicurio Registry at {} stopped", toStop.baseUrl());
      }
    }
    synchronized (KAFKA_LOCK) {
      EmbeddedKafkaCluster toStop = kafka;
      kafka = null;
      if (toStop != null) {
        toStop.close();
        LOG.info("Embedded Kafka stopped");
      }
    }
  }

  private static void stopAllOnExit() {
    try {
      stopAll();
    } catch (RuntimeException e) {
      System.err.println("Shared test infrastructure did not stop cleanly: " + e);
    }
  }
}
