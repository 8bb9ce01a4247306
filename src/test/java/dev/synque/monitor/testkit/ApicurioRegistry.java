package dev.synque.monitor.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Apicurio Registry 2.6 (a Quarkus application) running as a child process on {@code
 * 127.0.0.1} with in-memory H2 storage and authentication off, for integration tests that need a
 * Confluent-compatible schema registry.
 *
 * <p>The distribution comes from the directory named by the system property {@code apicurio.home},
 * into which the Maven build unpacks {@code apicurio-registry-app-<version>-all.tar.gz} in the
 * {@code pre-integration-test} phase (so run the tests through {@code ./mvnw verify}). The registry
 * listens on a free port and writes its log to {@code <apicurio.home>/../apicurio-<port>.log}
 * (normally {@code target/apicurio-<port>.log}).
 *
 * <p>When something the registry needs is missing (the unpacked distribution, a Java 17+ runtime)
 * {@link #start()} aborts the calling test with {@link Assumptions#abort(String)} and a message
 * saying how to fix it. When the registry is present but fails to start, {@link #start()} throws
 * with the tail of its log.
 *
 * <p>Optional system properties: {@code apicurio.java} (a {@code java} executable or a JDK home to
 * run the registry with; default: the JDK running the tests, verified with Java 17 and 25) and
 * {@code apicurio.startup.timeout.seconds} (default 90).
 *
 * <p>The process is stopped by {@link #close()}; if the test JVM is killed outright (SIGKILL) the
 * registry outlives it and must be killed by hand (its command line names its port).
 *
 * <p>For outage tests, {@link #startPersistent(Path)} keeps the registry's H2 database in files
 * under a directory, so that {@link #stop()} followed by {@link #restart()} (same port, same
 * database) brings back a registry that still knows every schema id, as a real registry with
 * durable storage would.
 */
public final class ApicurioRegistry implements AutoCloseable {

  public static final String HOME_PROPERTY = "apicurio.home";
  public static final String JAVA_PROPERTY = "apicurio.java";
  public static final String STARTUP_TIMEOUT_PROPERTY = "apicurio.startup.timeout.seconds";

  /** Root of the Confluent Schema Registry compatible API, relative to {@link #baseUrl()}. */
  public static final String CONFLUENT_COMPAT_PATH = "/apis/ccompat/v7";

  /** Apicurio 2.6 runs on Quarkus 3.15, which needs Java 17 or newer. */
  private static final int MIN_JAVA_FEATURE = 17;

  private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static final String IN_MEMORY_DATABASE = "jdbc:h2:mem:registry_db";
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 60;

  private Process process;
  private final int port;
  private final Path logFile;
  private final List<String> command;
  private final Path workDir;
  private final Duration startupTime;

  private ApicurioRegistry(
      Process process,
      int port,
      Path logFile,
      List<String> command,
      Path workDir,
      Duration startupTime) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.command = command;
    this.workDir = workDir;
    this.startupTime = startupTime;
  }

  /**
   * Starts the registry from {@code System.getProperty("apicurio.home")} and waits until {@code
   * /health/ready} reports UP.
   */
  public static ApicurioRegistry start() {
    String home = System.getProperty(HOME_PROPERTY);
    if (home == null || home.isBlank()) {
      Assumptions.abort(
          "System property '"
              + HOME_PROPERTY
              + "' is not set, so there is no Apicurio Registry to start. Run the integration"
              + " tests through Maven (./mvnw verify, which runs them with failsafe after"
              + " unpacking the registry into target/apicurio), or pass -D"
              + HOME_PROPERTY
              + "=<dir with the unpacked apicurio-registry-app-*-all.tar.gz>.");
    }
    return start(Path.of(home));
  }

  /** Starts the registry from an unpacked {@code apicurio-registry-app-*-all.tar.gz}. */
  public static ApicurioRegistry start(Path home) {
    return start(home, IN_MEMORY_DATABASE);
  }

  /**
   * Starts a registry (from {@code apicurio.home}) whose database lives in files under {@code
   * dataDir}, so that it survives {@link #stop()} and {@link #restart()}.
   */
  public static ApicurioRegistry startPersistent(Path dataDir) {
    String home = System.getProperty(HOME_PROPERTY);
    if (home == null || home.isBlank()) {
      start(); // aborts with the explanation
    }
    return start(
        Path.of(home),
        "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE");
  }

  private static ApicurioRegistry start(Path home, String jdbcUrl) {
    Path runnerJar = findRunnerJar(home);
    Path java = findJava();
    Path logDir = Optional.ofNullable(home.toAbsolutePath().getParent()).orElse(Path.of("."));
    Duration timeout = startupTimeout();

    IllegalStateException lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = freePort();
      Path logFile = logDir.resolve("apicurio-" + port + ".log");
      List<String> command = command(java, runnerJar, port, jdbcUrl);
      try {
        return launch(command, runnerJar.getParent(), port, logFile, timeout);
      } catch (PortTakenException e) {
        // Someone grabbed the free port between our probe and the registry binding it; retry.
        lastFailure = e;
      }
    }
    throw lastFailure;
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Root of the Confluent-compatible REST API, e.g. for {@code schema.registry.url}. */
  public String confluentCompatUrl() {
    return baseUrl() + CONFLUENT_COMPAT_PATH;
  }

  public int port() {
    return port;
  }

  public Path logFile() {
    return logFile;
  }

  /** The command line the registry was started with. */
  public List<String> command() {
    return command;
  }

  /** Time from launching the process until the registry reported ready. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Stops the registry process (SIGTERM, then SIGKILL after 20 s) and waits for it to exit. */
  @Override
  public synchronized void close() {
    stop(process);
  }

  /** Stops the registry, keeping its port and (with {@link #startPersistent}) its database. */
  public synchronized void stop() {
    stop(process);
  }

  /** Whether the registry process is running. */
  public synchronized boolean isRunning() {
    return process.isAlive();
  }

  /**
   * Starts the stopped registry again with the same command (port, database) and waits until it is
   * ready.
   */
  public synchronized void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("Apicurio Registry on port " + port + " is running");
    }
    process = launch(command, workDir, port, logFile, startupTimeout()).process;
  }

  private static ApicurioRegistry launch(
      List<String> command, Path workDir, int port, Path logFile, Duration timeout) {
    long startNanos = System.nanoTime();
    Process process;
    try {
      Files.createDirectories(logFile.getParent());
      process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not launch Apicurio Registry: " + command, e);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI readiness = URI.create("http://127.0.0.1:" + port + "/health/ready");
    try {
      await("Apicurio Registry on port " + port + " to become ready")
          .dontCatchUncaughtExceptions()
          .atMost(timeout)
          .pollDelay(Duration.ofMillis(500))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> isReady(process, http, readiness));
    } catch (ConditionTimeoutException e) {
      stop(process);
      throw new IllegalStateException(
          "Apicurio Registry did not become ready within "
              + timeout.toSeconds()
              + " s (raise -D"
              + STARTUP_TIMEOUT_PROPERTY
              + " on a slow machine). Command: "
              + String.join(" ", command)
              + "\nLog "
              + logFile
              + ":\n"
              + tail(logFile),
          e);
    } catch (RegistryExitedException e) {
      String log = tail(logFile);
      if (log.contains("Port already bound") || log.contains("Address already in use")) {
        throw new PortTakenException(port, log);
      }
      throw new IllegalStateException(
          "Apicurio Registry exited during startup with code "
              + e.exitCode
              + ". Command: "
              + String.join(" ", command)
              + "\nLog "
              + logFile
              + ":\n"
              + log);
    } catch (RuntimeException e) {
      stop(process);
      throw e;
    }
    Duration startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
    return new ApicurioRegistry(process, port, logFile, List.copyOf(command), workDir, startupTime);
  }

  private static boolean isReady(Process process, HttpClient http, URI readiness) {
    if (!process.isAlive()) {
      throw new RegistryExitedException(process.exitValue());
    }
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"UP\"");
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
    }
  }

  /**
   * The JVM options and Quarkus/Apicurio properties that pin the registry to a loopback-only,
   * in-memory, unauthenticated test setup. System properties beat both the packaged {@code
   * application.properties} and environment variables such as {@code REGISTRY_DATASOURCE_URL} or
   * {@code AUTH_ENABLED}, so the host environment cannot redirect the test registry.
   */
  static List<String> command(Path java, Path runnerJar, int port, String jdbcUrl) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("quarkus.http.host", "127.0.0.1");
    properties.put("quarkus.http.port", Integer.toString(port));
    // The 'app' distribution stores everything in SQL; an H2 in-memory database is the default in
    // its prod profile, set explicitly so that nothing survives the process (unless a test asks
    // for a file database to survive a restart).
    properties.put("quarkus.datasource.jdbc.url", jdbcUrl);
    properties.put("registry.auth.enabled", "false");
    properties.put("quarkus.oidc.tenant-enabled", "false");

    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xmx512m");
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(runnerJar.toString());
    return command;
  }

  private static Path findRunnerJar(Path home) {
    if (!Files.isDirectory(home)) {
      Assumptions.abort(
          "Apicurio Registry is not unpacked at "
              + home.toAbsolutePath()
              + " ("
              + HOME_PROPERTY
              + "). Run the integration tests through Maven (./mvnw verify): the"
              + " pre-integration-test phase unpacks io.apicurio:apicurio-registry-app:*:tar.gz:all"
              + " there.");
    }
    try (Stream<Path> files = Files.walk(home, 3)) {
      List<Path> candidates =
          files
              .filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String name = p.getFileName().toString();
                    return (name.startsWith("apicurio-registry-app")
                            && name.endsWith("-runner.jar"))
                        || name.equals("quarkus-run.jar");
                  })
              .sorted(Comparator.comparing(Path::toString))
              .collect(Collectors.toList());
      if (candidates.isEmpty()) {
        Assumptions.abort(
            "No Apicurio Registry launcher (apicurio-registry-app-*-runner.jar or"
                + " quarkus-app/quarkus-run.jar) under "
                + home.toAbsolutePath()
                + ". Delete that directory and rerun ./mvnw verify to unpack it again.");
      }
      return candidates.get(0).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not search " + home + " for Apicurio Registry", e);
    }
  }

  /**
   * The {@code java} to run the registry with: {@value #JAVA_PROPERTY} if set, else the JDK running
   * the tests when it is Java 17+ (verified with 17 and 25), else the first Java 17+ found in
   * {@code JAVA_HOME} or {@code /usr/lib/jvm}; aborts the test when there is none.
   */
  static Path findJava() {
    String override = System.getProperty(JAVA_PROPERTY);
    if (override != null && !override.isBlank()) {
      Path path = Path.of(override);
      Path executable = Files.isDirectory(path) ? path.resolve("bin").resolve(javaName()) : path;
      if (!Files.isExecutable(executable)) {
        Assumptions.abort(
            "-D" + JAVA_PROPERTY + "=" + override + " does not name a java executable or JDK home");
      }
      return executable;
    }
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of(System.getProperty("java.home")));
    Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
    Path jvmDir = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvmDir)) {
      try (Stream<Path> homes = Files.list(jvmDir)) {
        homes.sorted(Comparator.reverseOrder()).forEach(candidates::add);
      } catch (IOException ignored) {
        // No extra candidates.
      }
    }
    for (Path home : candidates) {
      Path executable = home.resolve("bin").resolve(javaName());
      if (Files.isExecutable(executable) && javaFeatureVersion(home) >= MIN_JAVA_FEATURE) {
        return executable;
      }
    }
    return Assumptions.abort(
        "Apicurio Registry 2.6 needs a Java "
            + MIN_JAVA_FEATURE
            + "+ runtime, and none was found (looked at java.home, JAVA_HOME and /usr/lib/jvm/*)."
            + " Install a JDK 17 or newer, or point -D"
            + JAVA_PROPERTY
            + "=<JDK home or java executable> at one.");
  }

  private static int javaFeatureVersion(Path home) {
    if (home.equals(Path.of(System.getProperty("java.home")))) {
      return Runtime.version().feature();
    }
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return -1;
    }
    try (var reader = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
      String feature = version.startsWith("1.") ? version.substring(2) : version;
      return Integer.parseInt(feature.split("[.+-]")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String javaName() {
    return System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java";
  }

  private static Duration startupTimeout() {
    String seconds = System.getProperty(STARTUP_TIMEOUT_PROPERTY);
    return seconds == null || seconds.isBlank()
        ? DEFAULT_STARTUP_TIMEOUT
        : Duration.ofSeconds(Long.parseLong(seconds.trim()));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port for Apicurio Registry", e);
    }
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** The process died before it became ready. */
  private static final class RegistryExitedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    RegistryExitedException(int exitCode) {
      super("Apicurio Registry exited with code " + exitCode, null, false, false);
      this.exitCode = exitCode;
    }
  }

  /** The chosen port was taken before the registry could bind it. */
  private static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(int port, String log) {
      super("Port " + port + " was taken before Apicurio Registry could bind it:\n" + log);
    }
  }
}
