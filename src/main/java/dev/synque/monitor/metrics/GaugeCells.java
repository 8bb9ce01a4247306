package dev.synque.monitor.metrics;

import io.micrometer.core.instrument.Gauge;
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
  private final Map<Tags, Cell> cells = new ConcurrentHashMap<>();

  /** A combination's value and its registered gauge (removed by the meter itself, see below). */
  private record Cell(AtomicLong value, Gauge gauge) {}

  GaugeCells(MeterRegistry registry, String name, String description, String baseUnit) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.baseUnit = baseUnit;
  }

  void set(Tags tags, double value) {
    cells.computeIfAbsent(tags, this::register).value().set(Double.doubleToLongBits(value));
  }

  /** Sets the value of a combination that has none yet; leaves a registered one as it is. */
  void setIfAbsent(Tags tags, double value) {
    cells.computeIfAbsent(
        tags,
        t -> {
          Cell cell = register(t);
          cell.value().set(Double.doubleToLongBits(value));
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

  /**
   * Removes the combinations matching {@code which} from this name and the registry. The registered
   * meter is removed, not an id built from the tags: the registry's id carries its common tags (the
   * {@code application} tag), so an id without them would match nothing and the series would stay
   * in the scrape.
   */
  void removeIf(java.util.function.Predicate<Tags> which) {
    for (Tags tags : List.copyOf(cells.keySet())) {
      if (which.test(tags)) {
        Cell cell = cells.remove(tags);
        if (cell != null) {
          registry.remove(cell.gauge());
        }
      }
    }
  }

  private Cell register(Tags tags) {
    AtomicLong value = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    Gauge gauge =
        Gauge.builder(name, value, c -> Double.longBitsToDouble(c.get()))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .strongReference(true)
            .register(registry);
    return new Cell(value, gauge);
  }
}
