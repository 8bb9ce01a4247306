package dev.synque.monitor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code synque} launcher: the composition root of every command. */
@Command(
    name = "synque",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "SynQuE Monitor: ranks live synthetic-data generators against unlabelled real data.",
    subcommands = {CommandLine.HelpCommand.class, SchemasCommand.class})
public final class SynqueCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SynqueCommand()).execute(args));
  }
}
