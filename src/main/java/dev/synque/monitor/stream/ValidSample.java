package dev.synque.monitor.stream;

import dev.synque.monitor.avro.SyntheticSample;
import java.util.Objects;

/**
 * A synthetic sample that passed validation, with where it came from.
 *
 * @param sample never null; generator id, sample id and text are non-blank
 * @param source never null
 */
public record ValidSample(SyntheticSample sample, SourceRecord source) {
  public ValidSample {
    Objects.requireNonNull(sample, "sample");
    Objects.requireNonNull(source, "source");
  }
}
