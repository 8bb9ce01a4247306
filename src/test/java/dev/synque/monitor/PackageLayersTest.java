package dev.synque.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages form layers: no cycles, and the ports that several parts share sit below them. Read
 * from the main sources: a package depends on another when the code of one of its files (comments
 * left out) names a type of the other (an import or a qualified name). The generated Avro classes
 * ({@code avro}) are not a source package and are left out.
 */
class PackageLayersTest {

  private static final Path ROOT = Path.of("src/main/java/dev/synque/monitor");
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.synque\\.monitor\\.([a-z]+)\\.");

  private static final Pattern COMMENT =
      Pattern.compile("/\\*.*?\\*/|^\\s*//.*$", Pattern.DOTALL | Pattern.MULTILINE);

  private static Map<String, Set<String>> dependencies;

  @BeforeAll
  static void readSources() throws IOException {
    dependencies = new TreeMap<>();
    try (Stream<Path> packages = Files.list(ROOT)) {
      for (Path dir : packages.filter(Files::isDirectory).toList()) {
        String name = dir.getFileName().toString();
        Set<String> uses = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
          files
              .filter(p -> p.toString().endsWith(".java"))
              .forEach(p -> uses.addAll(referencedPackages(p)));
        }
        uses.remove(name);
        uses.remove("avro");
        dependencies.put(name, uses);
      }
    }
  }

  private static Set<String> referencedPackages(Path file) {
    Set<String> found = new TreeSet<>();
    try {
      Matcher m = REFERENCE.matcher(COMMENT.matcher(Files.readString(file)).replaceAll(" "));
      while (m.find()) {
        found.add(m.group(1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  @Test
  void shouldReadTheSourcePackages() {
    assertThat(dependencies).containsKeys("core", "chat", "generate", "lens", "stream", "cli");
  }

  @Test
  void shouldKeepGenerateIndependentOfLens() {
    assertThat(dependencies.get("generate"))
        .as("generate reaches the LLM through the chat port, not through lens")
        .doesNotContain("lens");
  }

  @Test
  void shouldKeepTheChatPortFreeOfTheMonitor() {
    assertThat(dependencies.get("chat"))
        .as("chat is a port used by lens and generate; it depends on no other package")
        .isEmpty();
  }

  @Test
  void shouldKeepCoreAtTheBottom() {
    assertThat(dependencies.get("core")).as("core depends on no other package").isEmpty();
  }

  @Test
  void shouldGiveEveryPackageAPackageInfo() {
    List<String> missing = new ArrayList<>();
    for (String name : dependencies.keySet()) {
      if (!Files.exists(ROOT.resolve(name).resolve("package-info.java"))) {
        missing.add(name);
      }
    }
    assertThat(missing).as("packages without a package-info.java").isEmpty();
  }

  @Test
  void shouldHaveNoCycleBetweenPackages() {
    List<String> cycles = new ArrayList<>();
    for (String start : dependencies.keySet()) {
      List<String> path =
          cycleThrough(start, start, new ArrayList<>(List.of(start)), new TreeSet<>());
      if (path != null) {
        cycles.add(String.join(" -> ", path));
      }
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  /** A path from {@code at} back to {@code start}, or null when there is none. */
  private static List<String> cycleThrough(
      String start, String at, List<String> path, Set<String> seen) {
    for (String next : dependencies.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return cycle;
      }
      if (seen.add(next)) {
        path.add(next);
        List<String> found = cycleThrough(start, next, path, seen);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return null;
  }
}
