package dev.synque.monitor.evaluate;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbeddingBatch;
import dev.synque.monitor.embed.EmbeddingOutcome;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An {@link EmbeddingSource} over an {@link Embedder}, cached by model and content: the key of a
 * file is the SHA-256 of the model id and the file's bytes, so an edited file is embedded again and
 * an unchanged one never is. Vectors are kept in memory for the run and, when a cache folder is
 * given, on disk ({@code <cache>/<key>.vec}: rows (int), dimension (int), then float32 values,
 * big-endian) for later runs.
 *
 * <p>Texts the embedder rejects (for example blank ones) are left out of the set and counted in
 * {@link #rejected()}; a file where every text is rejected is a {@link BenchmarkFormatException}.
 */
public final class CachedEmbeddings implements EmbeddingSource {

  private final Embedder embedder;
  private final Path cacheDir;
  private final int batchSize;
  private final Map<String, EmbeddingSet> memory = new HashMap<>();
  private final Map<Path, String> rejected = new HashMap<>();
  private long embeddedTexts;
  private long cachedFiles;

  /**
   * @param embedder owned by the caller
   * @param cacheDir folder of the on-disk cache, or null for memory only
   * @param batchSize texts per call to the embedder
   */
  public CachedEmbeddings(Embedder embedder, Path cacheDir, int batchSize) {
    this.embedder = embedder;
    this.cacheDir = cacheDir;
    this.batchSize = batchSize;
  }

  @Override
  public String modelId() {
    return embedder.model().id();
  }

  /** Files with rejected texts, and how many (a message per file). */
  public Map<Path, String> rejected() {
    return Map.copyOf(rejected);
  }

  /** Texts embedded by the model in this run (cache hits excluded). */
  public long embeddedTexts() {
    return embeddedTexts;
  }

  /** Files read from the on-disk cache in this run. */
  public long cachedFiles() {
    return cachedFiles;
  }

  @Override
  public EmbeddingSet embeddings(Path textFile) {
    String key = key(textFile);
    EmbeddingSet set = memory.get(key);
    if (set != null) {
      return set;
    }
    Path cached = cacheDir == null ? null : cacheDir.resolve(key + ".vec");
    if (cached != null && Files.isRegularFile(cached)) {
      set = read(cached, textFile.toString());
      cachedFiles++;
    } else {
      set = embed(textFile);
      if (cached != null) {
        write(cached, set);
      }
    }
    memory.put(key, set);
    return set;
  }

  private EmbeddingSet embed(Path textFile) {
    List<String> texts = Benchmark.texts(textFile);
    List<float[]> vectors = new ArrayList<>(texts.size());
    int rejectedHere = 0;
    String firstReason = null;
    for (int start = 0; start < texts.size(); start += batchSize) {
      EmbeddingBatch batch =
          embedder.embed(texts.subList(start, Math.min(texts.size(), start + batchSize)));
      for (int i = 0; i < batch.size(); i++) {
        EmbeddingOutcome outcome = batch.outcomes().get(i);
        if (outcome instanceof EmbeddingOutcome.Embedded e) {
          vectors.add(e.vector());
        } else {
          EmbeddingOutcome.Rejected r = (EmbeddingOutcome.Rejected) outcome;
          rejectedHere++;
          if (firstReason == null) {
            firstReason = "line " + (start + i + 1) + ": " + r.message();
          }
        }
      }
    }
    embeddedTexts += texts.size();
    if (rejectedHere > 0) {
      rejected.put(textFile, rejectedHere + " texts left out (first: " + firstReason + ")");
    }
    if (vectors.isEmpty()) {
      throw new BenchmarkFormatException(textFile, "no text could be embedded: " + firstReason);
    }
    int d = vectors.get(0).length;
    double[] data = new double[vectors.size() * d];
    for (int i = 0; i < vectors.size(); i++) {
      for (int k = 0; k < d; k++) {
        data[i * d + k] = vectors.get(i)[k];
      }
    }
    return EmbeddingSet.wrap(textFile.toString(), vectors.size(), d, data);
  }

  private String key(Path file) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(modelId().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(Files.readAllBytes(file));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static EmbeddingSet read(Path file, String name) {
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      int rows = in.readInt();
      int d = in.readInt();
      double[] data = new double[rows * d];
      for (int i = 0; i < data.length; i++) {
        data[i] = in.readFloat();
      }
      return EmbeddingSet.wrap(name, rows, d, data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the embedding cache file " + file, e);
    }
  }

  private static void write(Path file, EmbeddingSet set) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".partial");
      try (DataOutputStream out =
          new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(set.size());
        out.writeInt(set.dimension());
        for (double v : set.rowMajor()) {
          out.writeFloat((float) v);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedding cache file " + file, e);
    }
  }
}
