package dev.synque.monitor.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a tag's values bounded: the first {@code max} distinct values are kept as they are, every
 * later one becomes {@link #OTHER}. Thread-safe.
 */
final class BoundedTagValues {

  /** The value that stands for every value past the cap. */
  static final String OTHER = "other";

  private final int max;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  BoundedTagValues(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
  }

  /** The tag value for {@code value}: itself while under the cap (or already known), else other. */
  String of(String value) {
    if (value == null || value.isEmpty()) {
      return OTHER;
    }
    if (known.contains(value)) {
      return value;
    }
    synchronized (this) {
      if (known.contains(value)) {
        return value;
      }
      if (known.size() < max) {
        known.add(value);
        return value;
      }
    }
    return OTHER;
  }

  /** Whether {@code value} has a slot of its own. */
  boolean contains(String value) {
    return value != null && known.contains(value);
  }

  /** Frees the slot of {@code value} (a retired generator), so a new value can take it. */
  void release(String value) {
    if (value != null) {
      known.remove(value);
    }
  }

  /** Distinct values kept so far (at most the cap). */
  int size() {
    return known.size();
  }
}
