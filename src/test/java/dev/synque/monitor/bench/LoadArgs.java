package dev.synque.monitor.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Options of the load commands: {@code --name value} pairs, and {@code --config KEY=VALUE}
 * (repeatable) for any monitor or Kafka Streams key. Unknown names are an error, so a typo does not
 * silently run the default.
 */
final class LoadArgs {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, Object> config = new LinkedHashMap<>();

  private LoadArgs() {}

  /**
   * @param known the option names (without {@code --}) the command takes besides {@code config}
   * @throws IllegalArgumentException naming the offending argument
   */
  static LoadArgs parse(String[] args, Set<String> known) {
    LoadArgs parsed = new LoadArgs();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!name.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got '" + name + "'");
      }
      String key = name.substring(2);
      String value = args[i + 1];
      if (key.equals("config")) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--config takes KEY=VALUE, got '" + value + "'");
        }
        parsed.config.put(value.substring(0, eq), value.substring(eq + 1));
      } else if (known.contains(key)) {
        parsed.values.put(key, value);
      } else {
        throw new IllegalArgumentException("unknown option --" + key + "; known: " + known);
      }
    }
    return parsed;
  }

  int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  double decimal(String name, double fallback) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
  }

  String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** A duration such as {@code 10m}, {@code 30s}, {@code 500ms} or {@code 1h}. */
  Duration duration(String name, Duration fallback) {
    return values.containsKey(name) ? parseDuration(values.get(name)) : fallback;
  }

  /** A comma-separated list of integers, for example {@code 1,2,3}. */
  List<Integer> integers(String name, List<Integer> fallback) {
    if (!values.containsKey(name)) {
      return fallback;
    }
    return java.util.Arrays.stream(values.get(name).split(","))
        .map(String::trim)
        .map(Integer::parseInt)
        .toList();
  }

  /** The {@code --config} pairs, in order. */
  Map<String, Object> config() {
    return config;
  }

  static Duration parseDuration(String text) {
    String t = text.trim();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default ->
          throw new IllegalArgumentException(
              "a duration is a number with ms, s, m or h, got '" + text + "'");
    };
  }
}
