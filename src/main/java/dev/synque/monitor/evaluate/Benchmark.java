package dev.synque.monitor.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A benchmark directory: synthetic datasets with known downstream performance and unlabelled real
 * samples, grouped (one group per task or database), as documented in docs/evaluation.md:
 *
 * <pre>
 * performance.csv                                  group,dataset,performance
 * real/&lt;group&gt;/&lt;seed&gt;.jsonl                         {"text": ...} per line (one real sample)
 * synthetic/&lt;group&gt;/&lt;dataset&gt;.jsonl                 {"text": ...} per line
 * lens/&lt;group&gt;/&lt;seed&gt;/synthetic/&lt;dataset&gt;.jsonl     optional LLM judgements of synthetic examples
 * lens/&lt;group&gt;/&lt;seed&gt;/real/&lt;dataset&gt;.jsonl          judgements of the real examples, same rubric
 * </pre>
 *
 * <p>{@link #open} checks the layout eagerly (every dataset has a performance row and every row a
 * dataset, every group has a real sample, LENS files come in synthetic/real pairs) so a run fails
 * before the expensive embedding, naming the file. Text files are read on demand. Immutable.
 *
 * @param root the directory
 * @param groups by name, sorted
 */
public record Benchmark(Path root, SortedMap<String, Group> groups) {

  /** Name of the performance file. */
  public static final String PERFORMANCE_FILE = "performance.csv";

  /** Header of the performance file. */
  public static final String PERFORMANCE_HEADER = "group,dataset,performance";

  /** The field holding an example's text. */
  public static final String TEXT_FIELD = "text";

  /**
   * One group: its real samples by seed, its synthetic datasets with their downstream performance.
   *
   * @param name group name
   * @param realSamples seed name to file, sorted, at least one
   * @param datasets dataset name to file, sorted, at least one
   * @param performance dataset name to downstream performance (higher is better)
   */
  public record Group(
      String name,
      SortedMap<String, Path> realSamples,
      SortedMap<String, Path> datasets,
      Map<String, Double> performance) {

    public Group {
      realSamples = Collections.unmodifiableSortedMap(new TreeMap<>(realSamples));
      datasets = Collections.unmodifiableSortedMap(new TreeMap<>(datasets));
      performance = Map.copyOf(performance);
    }
  }

  public Benchmark {
    groups = Collections.unmodifiableSortedMap(new TreeMap<>(groups));
  }

  /**
   * Reads and checks the layout of a benchmark directory.
   *
   * @throws BenchmarkFormatException naming the file and the rule for any deviation
   */
  public static Benchmark open(Path root) {
    if (!Files.isDirectory(root)) {
      throw new BenchmarkFormatException(root, "is not a directory");
    }
    Map<String, Map<String, Double>> performance = readPerformance(root.resolve(PERFORMANCE_FILE));
    Path syntheticRoot = root.resolve("synthetic");
    Path realRoot = root.resolve("real");
    SortedMap<String, Group> groups = new TreeMap<>();
    for (Path groupDir : subdirectories(syntheticRoot)) {
      String group = groupDir.getFileName().toString();
      SortedMap<String, Path> datasets = jsonlFiles(groupDir);
      if (datasets.isEmpty()) {
        throw new BenchmarkFormatException(groupDir, "holds no <dataset>.jsonl file");
      }
      Map<String, Double> groupPerformance = performance.getOrDefault(group, Map.of());
      for (String dataset : datasets.keySet()) {
        if (!groupPerformance.containsKey(dataset)) {
          throw new BenchmarkFormatException(
              root.resolve(PERFORMANCE_FILE),
              "has no row for group \"" + group + "\", dataset \"" + dataset + "\"");
        }
      }
      Path realDir = realRoot.resolve(group);
      SortedMap<String, Path> realSamples =
          Files.isDirectory(realDir) ? jsonlFiles(realDir) : new TreeMap<>();
      if (realSamples.isEmpty()) {
        throw new BenchmarkFormatException(
            realDir,
            "holds no real sample (<seed>.jsonl); group \"" + group + "\" needs at least one");
      }
      groups.put(group, new Group(group, realSamples, datasets, groupPerformance));
    }
    if (groups.isEmpty()) {
      throw new BenchmarkFormatException(syntheticRoot, "holds no group folder");
    }
    performance.forEach(
        (group, rows) ->
            rows.keySet().stream()
                .filter(
                    d -> !groups.containsKey(group) || !groups.get(group).datasets().containsKey(d))
                .findFirst()
                .ifPresent(
                    d -> {
                      throw new BenchmarkFormatException(
                          root.resolve(PERFORMANCE_FILE),
                          "has a row for group \""
                              + group
                              + "\", dataset \""
                              + d
                              + "\" but "
                              + syntheticRoot.resolve(group).resolve(d + ".jsonl")
                              + " does not exist");
                    }));
    Benchmark benchmark = new Benchmark(root, groups);
    benchmark.checkLensPairs();
    return benchmark;
  }

  /**
   * One group and the real sample of one seed, for a replay of that pair.
   *
   * @throws IllegalArgumentException naming the option ({@code --group}, {@code --seed}) and the
   *     values that exist
   */
  public Group groupWithSeed(String group, String seed) {
    Group g = groups.get(group);
    if (g == null) {
      throw new IllegalArgumentException(
          "--group " + group + ": not a group of " + root + " " + groups.keySet());
    }
    if (!g.realSamples().containsKey(seed)) {
      throw new IllegalArgumentException(
          "--seed "
              + seed
              + ": not a real sample of group "
              + group
              + " "
              + g.realSamples().keySet());
    }
    return g;
  }

  /** The texts of a file of this benchmark. */
  public static List<String> texts(Path file) {
    return JsonLines.readTexts(file, TEXT_FIELD);
  }

  /** The LENS judgement files of one (group, seed, dataset), when both exist. */
  public Optional<LensFiles> lensFiles(String group, String seed, String dataset) {
    Path base = root.resolve("lens").resolve(group).resolve(seed);
    Path synthetic = base.resolve("synthetic").resolve(dataset + ".jsonl");
    Path real = base.resolve("real").resolve(dataset + ".jsonl");
    return Files.isRegularFile(synthetic) && Files.isRegularFile(real)
        ? Optional.of(new LensFiles(synthetic, real))
        : Optional.empty();
  }

  /**
   * The judgement files of one (group, seed, dataset).
   *
   * @param synthetic judgements of the synthetic examples
   * @param real judgements of the real examples under the dataset's rubric
   */
  public record LensFiles(Path synthetic, Path real) {}

  private void checkLensPairs() {
    Path lensRoot = root.resolve("lens");
    if (!Files.isDirectory(lensRoot)) {
      return;
    }
    for (Path groupDir : subdirectories(lensRoot)) {
      String group = groupDir.getFileName().toString();
      Group g = groups.get(group);
      if (g == null) {
        throw new BenchmarkFormatException(groupDir, "is not a group of synthetic/");
      }
      for (Path seedDir : subdirectories(groupDir)) {
        String seed = seedDir.getFileName().toString();
        if (!g.realSamples().containsKey(seed)) {
          throw new BenchmarkFormatException(
              seedDir, "has no real sample real/" + group + "/" + seed + ".jsonl");
        }
        for (String side : List.of("synthetic", "real")) {
          String other = side.equals("synthetic") ? "real" : "synthetic";
          Path dir = seedDir.resolve(side);
          if (!Files.isDirectory(dir)) {
            continue;
          }
          for (String dataset : jsonlFiles(dir).keySet()) {
            if (!g.datasets().containsKey(dataset)) {
              throw new BenchmarkFormatException(
                  dir.resolve(dataset + ".jsonl"), "is not a dataset of synthetic/" + group);
            }
            Path pair = seedDir.resolve(other).resolve(dataset + ".jsonl");
            if (!Files.isRegularFile(pair)) {
              throw new BenchmarkFormatException(
                  pair, "is missing: LENS judgements come in synthetic/real pairs");
            }
          }
        }
      }
    }
  }

  private static Map<String, Map<String, Double>> readPerformance(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BenchmarkFormatException(file, "file is missing");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (lines.isEmpty() || !lines.get(0).strip().equals(PERFORMANCE_HEADER)) {
      throw new BenchmarkFormatException(
          file, "first line must be the header \"" + PERFORMANCE_HEADER + "\"");
    }
    Map<String, Map<String, Double>> rows = new TreeMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (cells.length != 3 || cells[0].isBlank() || cells[1].isBlank()) {
        throw new BenchmarkFormatException(
            file, "line " + (i + 1) + " must be group,dataset,performance but is \"" + line + "\"");
      }
      double value;
      try {
        value = Double.parseDouble(cells[2]);
      } catch (NumberFormatException e) {
        value = Double.NaN;
      }
      if (!Double.isFinite(value)) {
        throw new BenchmarkFormatException(
            file, "line " + (i + 1) + ": performance \"" + cells[2] + "\" is not a finite number");
      }
      Double previous = rows.computeIfAbsent(cells[0], g -> new TreeMap<>()).put(cells[1], value);
      if (previous != null) {
        throw new BenchmarkFormatException(
            file,
            "line "
                + (i + 1)
                + " repeats group \""
                + cells[0]
                + "\", dataset \""
                + cells[1]
                + "\"");
      }
    }
    if (rows.isEmpty()) {
      throw new BenchmarkFormatException(file, "has a header but no rows");
    }
    return rows;
  }

  private static List<Path> subdirectories(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BenchmarkFormatException(dir, "folder is missing");
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static SortedMap<String, Path> jsonlFiles(Path dir) {
    SortedMap<String, Path> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".jsonl")) {
          files.put(name.substring(0, name.length() - ".jsonl".length()), p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return files;
  }

  /** Every (group, seed, dataset) triple, in order. */
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (Group g : groups.values()) {
      for (String seed : g.realSamples().keySet()) {
        for (String dataset : g.datasets().keySet()) {
          cells.add(new Cell(g.name(), seed, dataset));
        }
      }
    }
    return cells;
  }

  /**
   * One (group, seed, dataset) of the evaluation.
   *
   * @param group group name
   * @param seed real-sample name
   * @param dataset synthetic dataset name
   */
  public record Cell(String group, String seed, String dataset) {}
}
