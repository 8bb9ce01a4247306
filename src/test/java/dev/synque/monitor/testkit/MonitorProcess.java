package dev.synque.monitor.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code synque run --config FILE} in a child JVM ({@code
 * dev.synque.monitor.cli.FakeEmbedderSynque}: the real command with the test embedder), on the test
 * JVM's class path, its output appended to a log file. {@link #kill()} sends SIGKILL: no shutdown
 * hook, no commit, no flush, as when a node or container dies.
 */
public final class MonitorProcess implements AutoCloseable {

  private static final String MAIN = "dev.synque.monitor.cli.FakeEmbedderSynque";

  private final Process process;
  private final Path log;

  private MonitorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code synque run --config configFile}, appending its output to {@code log}. */
  public static MonitorProcess start(Path configFile, Path log) {
    return start(List.of("run", "--config", configFile.toString()), log);
  }

  /**
   * Starts any {@code synque} command (for example {@code generate demo ...}) the same way, {@code
   * run} with the test embedder, appending its output to {@code log}.
   */
  public static MonitorProcess start(List<String> arguments, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    // The same modules as this JVM: with the Vector API the kernels take their SIMD path, whose
    // rounding differs from the scalar one in the last bits, and results are compared exactly.
    List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (int i = 0; i < jvm.size(); i++) {
      if (jvm.get(i).startsWith("--add-modules=")) {
        command.add(jvm.get(i));
      } else if (jvm.get(i).equals("--add-modules") && i + 1 < jvm.size()) {
        command.add(jvm.get(i));
        command.add(jvm.get(++i));
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN);
    command.addAll(arguments);
    try {
      Files.createDirectories(log.getParent());
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new MonitorProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + command, e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, then waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM (the shutdown hook closes the monitor cleanly), then waits; returns the exit code. */
  public int stop() {
    process.destroy();
    waitFor();
    return process.exitValue();
  }

  /** The process's output so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
