package dev.synque.monitor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.OpenAiChatModel;
import dev.synque.monitor.core.LensJudgement.Likelihood;
import dev.synque.monitor.evaluate.Benchmark;
import dev.synque.monitor.evaluate.BenchmarkLens;
import dev.synque.monitor.lens.ExampleJudgement;
import dev.synque.monitor.lens.LensExample;
import dev.synque.monitor.lens.LensJudge;
import dev.synque.monitor.lens.LensOutcome;
import dev.synque.monitor.lens.LensRunException;
import dev.synque.monitor.lens.LensScorer;
import dev.synque.monitor.lens.RubricCompiler;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synque lens}: LENS judgements for a benchmark directory, for {@code synque evaluate}. */
@Command(
    name = "lens",
    mixinStandardHelpOptions = true,
    description = {
      "Run LENS (rubric, then the four judge questions per example) over a benchmark directory"
          + " with an OpenAI-compatible LLM endpoint, and write the judgements to"
          + " DIR/lens/<group>/<seed>/{synthetic,real}/<dataset>.jsonl, where `synque evaluate`"
          + " scores them.",
      "Also writes the rubric (rubric/<dataset>.json) and any unparseable answers"
          + " (unparseable/<dataset>.jsonl) next to them. The API key is read from the"
          + " environment variable named by --api-key-env."
    })
final class LensCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--benchmark", required = true, description = "The benchmark directory.")
  Path benchmarkDir;

  @Option(
      names = "--llm-base-url",
      description = "Base URL of the OpenAI-compatible API, e.g. http://localhost:8000/v1.")
  String baseUrl;

  @Option(names = "--judge-model", description = "Model that judges the examples.")
  String judgeModel;

  @Option(names = "--rubric-model", description = "Model that writes the rubrics.")
  String rubricModel;

  @Option(
      names = "--config",
      description = "Properties file with synque.lens.* keys (options given here win).")
  Path config;

  @Option(names = "--groups", split = ",", description = "Only these groups (default: all).")
  List<String> groups;

  @Option(names = "--seeds", split = ",", description = "Only these real seeds (default: all).")
  List<String> seeds;

  @Option(names = "--datasets", split = ",", description = "Only these datasets (default: all).")
  List<String> datasets;

  @Option(
      names = "--max-examples",
      description = "Judge at most N synthetic and N real examples per cell (default: all).")
  Integer maxExamples;

  @Option(names = "--rubric-size", description = "Items per rubric list (default: 10).")
  Integer rubricSize;

  @Option(names = "--max-concurrency", description = "LLM requests in flight (default: 4).")
  Integer maxConcurrency;

  @Option(names = "--timeout-ms", description = "Timeout of one LLM request (default: 120000).")
  Long timeoutMs;

  @Option(
      names = "--api-key-env",
      description = "Environment variable holding the API key (default: SYNQUE_LLM_API_KEY).")
  String apiKeyEnv;

  @Override
  public Integer call() throws IOException {
    Map<String, Object> map = new HashMap<>(readConfig(config));
    putIfSet(map, LlmSettings.BASE_URL, baseUrl);
    putIfSet(map, LlmSettings.JUDGE_MODEL, judgeModel);
    putIfSet(map, LlmSettings.RUBRIC_MODEL, rubricModel);
    putIfSet(map, LlmSettings.RUBRIC_SIZE, rubricSize);
    putIfSet(map, LlmSettings.MAX_CONCURRENCY, maxConcurrency);
    putIfSet(map, LlmSettings.REQUEST_TIMEOUT_MS, timeoutMs);
    putIfSet(map, LlmSettings.API_KEY_ENV, apiKeyEnv);
    int judged = maxExamples == null ? Integer.MAX_VALUE : maxExamples;
    if (judged < 1) {
      throw new IllegalArgumentException("--max-examples must be at least 1");
    }
    map.put(LlmSettings.JUDGE_SYNTHETIC_SIZE, judged);
    map.put(LlmSettings.JUDGE_REAL_SIZE, judged);
    LlmSettings settings = LlmSettings.fromConfig(map);
    Benchmark benchmark = Benchmark.open(benchmarkDir);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ExecutorService pool = Executors.newFixedThreadPool(settings.maxConcurrency(), daemon());
    int failures = 0;
    int written = 0;
    try {
      LensScorer scorer =
          new LensScorer(
              new OpenAiChatModel(settings),
              settings,
              new RubricCompiler(settings),
              new LensJudge(settings, pool));
      for (Benchmark.Cell cell : benchmark.cells()) {
        if (!selected(groups, cell.group())
            || !selected(seeds, cell.seed())
            || !selected(datasets, cell.dataset())) {
          continue;
        }
        Benchmark.Group group = benchmark.groups().get(cell.group());
        List<LensExample> real = examples(group.realSamples().get(cell.seed()));
        List<LensExample> synthetic = examples(group.datasets().get(cell.dataset()));
        String where = cell.group() + "/" + cell.seed() + "/" + cell.dataset();
        LensOutcome outcome;
        try {
          outcome = scorer.score(cell.group() + "/" + cell.dataset(), cell.seed(), synthetic, real);
        } catch (LensRunException | IllegalArgumentException e) {
          err.println("synque: LENS failed for " + where + ": " + e.getMessage());
          err.flush();
          failures++;
          continue;
        }
        write(cell, outcome);
        written++;
        if (outcome.score() == null) {
          err.println("synque: LENS has no score for " + where + ": " + outcome.reason());
          failures++;
        }
        out.printf(
            Locale.ROOT,
            "%-40s lens %s  lens_raw %s  %d+%d judged, %d unparseable, %d calls%n",
            where,
            format(outcome.score()),
            format(outcome.rawScore()),
            outcome.syntheticJudged(),
            outcome.realJudged(),
            outcome.unparseable(),
            outcome.llmCalls());
        out.flush();
      }
    } finally {
      pool.shutdownNow();
    }
    out.printf(
        "wrote the judgements of %d cell(s) under %s%n", written, benchmarkDir.resolve("lens"));
    return failures == 0 ? 0 : 1;
  }

  private void write(Benchmark.Cell cell, LensOutcome outcome) throws IOException {
    Path base = benchmarkDir.resolve("lens").resolve(cell.group()).resolve(cell.seed());
    String file = cell.dataset() + ".jsonl";
    List<ExampleJudgement> unparseable = new ArrayList<>();
    writeSide(base.resolve("synthetic").resolve(file), outcome.synthetic(), outcome, unparseable);
    writeSide(base.resolve("real").resolve(file), outcome.real(), outcome, unparseable);
    Path unparseableFile = base.resolve("unparseable").resolve(file);
    if (unparseable.isEmpty()) {
      Files.deleteIfExists(unparseableFile);
    } else {
      Files.createDirectories(unparseableFile.getParent());
      try (Writer w = Files.newBufferedWriter(unparseableFile, StandardCharsets.UTF_8)) {
        for (ExampleJudgement j : unparseable) {
          ObjectNode o = line(j);
          o.put("origin", j.origin().name().toLowerCase(Locale.ROOT));
          w.write(o.toString());
          w.write('\n');
        }
      }
    }
    ObjectNode rubric = JSON.createObjectNode();
    rubric.put("model", outcome.rubric().model());
    outcome.rubric().similarities().forEach(rubric.putArray("sims")::add);
    outcome
        .rubric()
        .syntheticDiffersFromReal()
        .forEach(rubric.putArray("diffs_synth_from_real")::add);
    outcome
        .rubric()
        .realDiffersFromSynthetic()
        .forEach(rubric.putArray("diffs_real_from_synth")::add);
    Path rubricFile = base.resolve("rubric").resolve(cell.dataset() + ".json");
    Files.createDirectories(rubricFile.getParent());
    Files.writeString(
        rubricFile,
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rubric),
        StandardCharsets.UTF_8);
  }

  private static void writeSide(
      Path file,
      List<ExampleJudgement> judgements,
      LensOutcome outcome,
      List<ExampleJudgement> unparseable)
      throws IOException {
    Files.createDirectories(file.getParent());
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (ExampleJudgement j : judgements) {
        if (j.unparseableAnswers() > 0) {
          unparseable.add(j);
          continue;
        }
        ObjectNode o = line(j);
        Double p = outcome.probabilityReal().get(j.sampleId());
        if (p != null) {
          o.put("probability_real", p);
        }
        w.write(o.toString());
        w.write('\n');
      }
    }
  }

  private static ObjectNode line(ExampleJudgement j) {
    ObjectNode o = JSON.createObjectNode();
    o.put("index", Integer.parseInt(j.sampleId()));
    Likelihood[] answers = {
      j.realGivenSyntheticAtA(),
      j.realGivenSyntheticAtB(),
      j.syntheticGivenSyntheticAtA(),
      j.syntheticGivenSyntheticAtB()
    };
    for (int f = 0; f < 4; f++) {
      if (answers[f] == null) {
        o.putNull(BenchmarkLens.FIELDS.get(f));
      } else {
        o.put(BenchmarkLens.FIELDS.get(f), answers[f].label());
      }
    }
    return o;
  }

  private static List<LensExample> examples(Path file) {
    List<String> texts = Benchmark.texts(file);
    List<LensExample> examples = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      examples.add(new LensExample(Integer.toString(i), texts.get(i)));
    }
    return examples;
  }

  private static boolean selected(List<String> filter, String value) {
    return filter == null || filter.isEmpty() || filter.contains(value);
  }

  private static String format(Double d) {
    return d == null ? "  n/a " : String.format(Locale.ROOT, "%.4f", d);
  }

  private static void putIfSet(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value.toString());
    }
  }

  static Map<String, Object> readConfig(Path file) throws IOException {
    Map<String, Object> map = new HashMap<>();
    if (file == null) {
      return map;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k).strip()));
    return map;
  }

  static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "synque-lens-llm");
      t.setDaemon(true);
      return t;
    };
  }
}
