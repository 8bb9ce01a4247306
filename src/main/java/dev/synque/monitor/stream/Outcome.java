package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DeadLetter;
import java.util.Objects;

/**
 * What a step of the sample or LENS-result flow hands on for one record: the record's next form, or
 * the dead letter that replaces it. The topology splits a stream of outcomes into its two branches
 * ({@link MonitorTopology}), so no stream between processors is typed {@code Object}.
 *
 * @param <T> the type of the record's next form
 */
sealed interface Outcome<T> {

  /** The record's next form, never null. */
  static <T> Outcome<T> passed(T value) {
    return new Passed<>(value);
  }

  /** The dead letter that replaces the record, never null. */
  static <T> Outcome<T> rejected(DeadLetter letter) {
    return new Rejected<>(letter);
  }

  /**
   * The record goes on.
   *
   * @param value never null
   */
  record Passed<T>(T value) implements Outcome<T> {
    public Passed {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * The record is dead-lettered.
   *
   * @param letter never null
   */
  record Rejected<T>(DeadLetter letter) implements Outcome<T> {
    public Rejected {
      Objects.requireNonNull(letter, "letter");
    }
  }
}
