package dev.synque.monitor.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One settable gauge per tag combination of a name: the first {@link #set} of a combination
 * registers it. Values are doubles ({@code NaN} for "no value"). Thread-safe.
 */
final class GaugeCells {

  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final String baseUnit;
  private final Map<Tags, AtomicLong> cells = new ConcurrentHashMap<>();

  GaugeCells(MeterRegistry registry, String name, String description, String baseUnit) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.baseUnit = baseUnit;
  }

  void set(Tags tags, double value) {
    cell(tags).set(Double.doubleToLongBits(value));
  }

  /** Sets the value of a combination that has none yet; leaves a registered one as it is. */
  void setIfAbsent(Tags tags, double value) {
    cells.computeIfAbsent(
        tags,
        t -> {
          AtomicLong cell = register(t);
          cell.set(Double.doubleToLongBits(value));
          return cell;
        });
  }

  /**
   * Makes {@code values} the only combinations of this name: sets each and removes every other from
   * the registry (a series that is no longer in the source disappears from the scrape).
   */
  void retainOnly(Map<Tags, Double> values) {
    values.forEach(this::set);
    removeIf(tags -> !values.containsKey(tags));
  }

  /** Removes the combinations matching {@code which} from this name and the registry. */
  void removeIf(java.util.function.Predicate<Tags> which) {
    for (Tags tags : List.copyOf(cells.keySet())) {
      if (which.test(tags)) {
        cells.remove(tags);
        registry.remove(new Meter.Id(name, tags, baseUnit, description, Meter.Type.GAUGE));
      }
    }
  }

  private AtomicLong cell(Tags tags) {
    return cells.computeIfAbsent(tags, this::register);
  }

  private AtomicLong register(Tags tags) {
    AtomicLong cell = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    Gauge.builder(name, cell, c -> Double.longBitsToDouble(c.get()))
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags)
        .strongReference(true)
        .register(registry);
    return cell;
  }
}
