package dev.synque.monitor.cli;

import dev.synque.monitor.evaluate.SynqueImport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synque import-synque}: the authors' sentiment release into the benchmark format. */
@Command(
    name = "import-synque",
    mixinStandardHelpOptions = true,
    description =
        "Convert the SynQuE authors' data/sentiment_analysis folder into a benchmark directory"
            + " (group 'all', seeds from real_data/balanced_real_seed=<s>.json, text from"
            + " 'headline', their LENS judgements).")
final class ImportSynqueCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      description = "The authors' sentiment_analysis folder.")
  Path from;

  @Option(names = "--to", required = true, description = "The benchmark directory to write.")
  Path to;

  @Option(
      names = "--lens-judge",
      description = "Judge folder under LENS/scores (default: the only one there).")
  String judge;

  @Override
  public Integer call() {
    SynqueImport.Summary s = SynqueImport.run(from, to, judge);
    spec.commandLine()
        .getOut()
        .printf(
            "imported %d datasets, %d real samples and %d LENS judgement pairs%s into %s%n",
            s.datasets(),
            s.realSamples(),
            s.lensPairs(),
            s.judge() == null ? "" : " (judge " + s.judge() + ")",
            to);
    return 0;
  }
}
