package dev.synque.monitor.evaluate;

import java.nio.file.Path;

/**
 * A benchmark directory that does not follow the documented layout. The message always names the
 * file (or folder) and the rule it breaks, so the user can fix it without reading code.
 */
public final class BenchmarkFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * @param file the offending file or folder, never null
   * @param rule what is wrong, as a sentence fragment
   */
  public BenchmarkFormatException(Path file, String rule) {
    super(file + ": " + rule);
    this.file = file;
  }

  /** The offending file or folder. */
  public Path file() {
    return file;
  }
}
