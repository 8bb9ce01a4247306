package dev.synque.monitor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Memory and disk readings of a load run. */
final class ResourceProbe {

  private ResourceProbe() {}

  /**
   * Heap in use right after a full collection, and how long the collection took.
   *
   * @param usedBytes live heap: what a leak would make grow
   * @param gcMillis the pause this reading cost the run (it stops every thread, the monitor's too)
   */
  record Heap(long usedBytes, long gcMillis) {}

  /**
   * Runs a full GC ({@code System.gc()}, stop-the-world with the default G1 collector) and reads
   * the heap in use. The heap after an arbitrary young collection would include garbage the old
   * generation has not collected yet and drift up and down with G1's cycles; after a full GC it is
   * the live set.
   */
  static Heap heapAfterGc() {
    long started = System.nanoTime();
    System.gc();
    long gcMillis = (System.nanoTime() - started) / 1_000_000;
    return new Heap(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), gcMillis);
  }

  /** CPU time of this JVM (every thread: monitor, embedder, broker, generators), nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The machine's one-minute load average: how many runnable threads compete for its cores, ours
   * and other processes'. On a shared machine it tells whether a reading was taken under load.
   */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * Bytes of the regular files under the directories (RocksDB's SST, log and manifest files and the
   * checkpoints); files that RocksDB deletes while they are counted are skipped.
   */
  static long directoryBytes(List<Path> roots) {
    long total = 0;
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        total += files.mapToLong(ResourceProbe::sizeOrZero).sum();
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException)) {
          throw e;
        }
        // A directory vanished during the walk (a compaction); the next reading counts again.
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return total;
  }

  private static long sizeOrZero(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0; // deleted between listing and reading
    }
  }
}
