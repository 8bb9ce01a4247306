package dev.synque.monitor.cli;

import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code synque} launcher: the composition root of every command. */
@Command(
    name = "synque",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "SynQuE Monitor: ranks live synthetic-data generators against unlabelled real data.",
    subcommands = {
      CommandLine.HelpCommand.class,
      SchemasCommand.class,
      TopicsCommand.class,
      EmbedCommand.class,
      DevicesCommand.class,
      ImportSynqueCommand.class,
      EvaluateCommand.class,
      GenerateCommand.class,
      GeneratorsCommand.class,
      RunCommand.class,
      ResetCommand.class,
      LensCommand.class,
      LensWorkerCommand.class,
      DemoCommand.class
    })
public final class SynqueCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // DJL must never reach for a model hub or download a native library (bin/synque sets it too).
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with its error handling: a configuration error is one line naming the key and
   * the rule (exit code 2), not a stack trace; anything else is a bug and keeps its stack trace.
   */
  static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /** The command line with its subcommands made by {@code factory} (tests swap the embedder). */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    CommandLine cli = new CommandLine(new SynqueCommand(), factory);
    cli.setExecutionExceptionHandler(
        (exception, command, parseResult) -> {
          if (exception instanceof ConfigException
              || exception instanceof IllegalArgumentException
              || exception instanceof MissingTopicsException) {
            command.getErr().println("synque: " + exception.getMessage());
            command.getErr().flush();
            return 2;
          }
          if (exception instanceof dev.synque.monitor.generate.PublishFailedException
              || exception instanceof ClusterUnavailableException) {
            command.getErr().println("synque: " + exception.getMessage());
            command.getErr().flush();
            return 1;
          }
          throw exception;
        });
    return cli;
  }
}
