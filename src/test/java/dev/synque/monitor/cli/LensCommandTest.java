package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.core.LensScore;
import dev.synque.monitor.evaluate.Benchmark;
import dev.synque.monitor.evaluate.BenchmarkLens;
import dev.synque.monitor.evaluate.ProxyScore;
import dev.synque.monitor.lens.FakeChatServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LensCommandTest {

  @TempDir Path dir;
  private final FakeChatServer server = FakeChatServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private void benchmark() throws IOException {
    Files.writeString(
        dir.resolve("performance.csv"),
        "group,dataset,performance\ng1,robotic,0.2\ng1,human,0.8\n");
    write(dir.resolve("real/g1/seed0.jsonl"), "my dog said hi", "the bird sang", "a person wrote");
    write(
        dir.resolve("synthetic/g1/robotic.jsonl"),
        "the robot said hi",
        "robot robot beep",
        "a cat sat");
    write(dir.resolve("synthetic/g1/human.jsonl"), "my cat said hi", "the sun rose", "a dog ran");
  }

  private static void write(Path file, String... texts) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder sb = new StringBuilder();
    for (String t : texts) {
      sb.append("{\"text\": \"").append(t).append("\"}\n");
    }
    Files.writeString(file, sb.toString());
  }

  private CliRun lens(String baseUrl, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "lens",
                "--benchmark",
                dir.toString(),
                "--llm-base-url",
                baseUrl,
                "--judge-model",
                "judge",
                "--rubric-model",
                "writer",
                "--rubric-size",
                "3"));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void shouldWriteJudgementsThatTheOfflineEvaluationScores() throws IOException {
    benchmark();

    CliRun run = lens(server.baseUrl());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("g1/seed0/robotic")
        .contains("wrote the judgements of 2 cell(s)");
    Benchmark reopened = Benchmark.open(dir);
    List<ProxyScore> scores = BenchmarkLens.scores(reopened);
    assertThat(scores).hasSize(4);
    double robotic = value(scores, "robotic", LensScore.NAME);
    double human = value(scores, "human", LensScore.NAME);
    assertThat(human).isGreaterThan(robotic);
    Path synthetic = dir.resolve("lens/g1/seed0/synthetic/robotic.jsonl");
    List<String> lines = Files.readAllLines(synthetic);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .contains("\"score_real_given_synth_loc_A_judgement\":\"unlikely\"")
        .contains("\"score_synth_given_synth_loc_B_judgement\":\"very likely\"");
    assertThat(Files.readAllLines(dir.resolve("lens/g1/seed0/real/robotic.jsonl"))).hasSize(3);
    assertThat(dir.resolve("lens/g1/seed0/rubric/robotic.json"))
        .content()
        .contains("diffs_synth_from_real");
    assertThat(dir.resolve("lens/g1/seed0/unparseable")).doesNotExist();
  }

  @Test
  void shouldJudgeOnlyTheSelectedCellsAndExamples() throws IOException {
    benchmark();

    CliRun run = lens(server.baseUrl(), "--datasets", "human", "--max-examples", "2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("lens/g1/seed0/synthetic/human.jsonl"))).hasSize(2);
    assertThat(Files.readAllLines(dir.resolve("lens/g1/seed0/real/human.jsonl"))).hasSize(2);
    assertThat(dir.resolve("lens/g1/seed0/synthetic/robotic.jsonl")).doesNotExist();
    assertThat(BenchmarkLens.scores(Benchmark.open(dir))).hasSize(2);
  }

  @Test
  void shouldKeepUnparseableAnswersApartAndCountThem() throws IOException {
    benchmark();
    write(dir.resolve("synthetic/g1/human.jsonl"), "my cat said hi", "garbled-always");

    CliRun run = lens(server.baseUrl(), "--datasets", "human");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("4 unparseable");
    assertThat(Files.readAllLines(dir.resolve("lens/g1/seed0/synthetic/human.jsonl"))).hasSize(1);
    assertThat(Files.readString(dir.resolve("lens/g1/seed0/unparseable/human.jsonl")))
        .contains("\"index\":1")
        .contains("\"origin\":\"synthetic\"");
    assertThat(BenchmarkLens.scores(Benchmark.open(dir))).hasSize(2);
  }

  @Test
  void shouldReportAnUnreachableEndpointAndExitWithOne() throws IOException {
    benchmark();
    String dead;
    try (ServerSocket socket = new ServerSocket(0)) {
      dead = "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }
    Path config = dir.resolve("lens.properties");
    Files.writeString(config, "synque.lens.llm.max.retries=0\n");

    CliRun run = lens(dead, "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("LENS failed for g1/seed0/human").contains("unreachable");
  }

  @Test
  void shouldNameTheKeyOfABadSetting() throws IOException {
    benchmark();

    CliRun run = lens("not-a-url");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("synque.lens.llm.base.url");
  }

  private static double value(List<ProxyScore> scores, String dataset, String proxy) {
    return scores.stream()
        .filter(s -> s.dataset().equals(dataset) && s.proxy().equals(proxy))
        .findFirst()
        .orElseThrow()
        .value();
  }
}
