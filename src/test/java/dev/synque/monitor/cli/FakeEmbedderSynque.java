package dev.synque.monitor.cli;

import dev.synque.monitor.stream.FakeEmbedder;
import picocli.CommandLine;

/**
 * The {@code synque} command line with one change: {@code synque run} embeds with the deterministic
 * {@link FakeEmbedder} (dimension from {@code -Dsynque.test.embedding.dimension}, default 8)
 * instead of loading a model. Fault tests start it as a child process and kill it with SIGKILL, so
 * what crashes is the real {@code RunCommand} with its real configuration handling, shutdown hook
 * and Kafka Streams client; only the embedder is swapped (the model would make every restart slow).
 */
public final class FakeEmbedderSynque {

  private FakeEmbedderSynque() {}

  public static void main(String[] args) {
    int dimension = Integer.getInteger("synque.test.embedding.dimension", 8);
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            if (cls == RunCommand.class) {
              return cls.cast(new RunCommand(settings -> new FakeEmbedder(dimension)));
            }
            return CommandLine.defaultFactory().create(cls);
          }
        };
    System.exit(SynqueCommand.commandLine(factory).execute(args));
  }
}
