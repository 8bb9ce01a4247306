package dev.synque.monitor.stream;

import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbeddingBatch;
import dev.synque.monitor.embed.EmbeddingOutcome;
import dev.synque.monitor.embed.ModelInfo;
import dev.synque.monitor.embed.Pooling;
import dev.synque.monitor.embed.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic embedder for tests: a text {@code "v:1,0,0,0"} becomes that vector normalised;
 * any other text a unit vector drawn from a generator seeded by the text's hash; a text starting
 * with {@code REJECT} is rejected ({@code NO_TOKENS}). Thread-safe. A test can hold every call at a
 * gate ({@link #closeGate()}, {@link #openGate()}) and read the sizes of the calls made.
 */
public final class FakeEmbedder implements Embedder {

  public static final String MODEL_ID = "fake-hash-embedder";

  private final int dimension;
  private final AtomicLong embedded = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final List<Integer> callSizes = new ArrayList<>();
  private volatile CountDownLatch gate;

  public FakeEmbedder(int dimension) {
    this.dimension = dimension;
  }

  /** The vector this embedder gives {@code text}. */
  public float[] vector(String text) {
    float[] v = new float[dimension];
    if (text.startsWith("v:")) {
      String[] parts = text.substring(2).split(",");
      for (int i = 0; i < dimension; i++) {
        v[i] = Float.parseFloat(parts[i].trim());
      }
    } else {
      long seed = 1125899906842597L;
      for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
        seed = 31 * seed + b;
      }
      SplittableRandom random = new SplittableRandom(seed);
      for (int i = 0; i < dimension; i++) {
        v[i] = (float) random.nextGaussian();
      }
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }

  /** From now on every call waits until {@link #openGate()} (at most a minute). */
  public void closeGate() {
    gate = new CountDownLatch(1);
  }

  public void openGate() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** The number of texts of each call that has started, in order. */
  public synchronized List<Integer> callSizes() {
    return List.copyOf(callSizes);
  }

  /** Texts embedded so far. */
  public long embeddedCount() {
    return embedded.get();
  }

  @Override
  public ModelInfo model() {
    return new ModelInfo(MODEL_ID, dimension, 512, Pooling.MEAN);
  }

  @Override
  public EmbeddingBatch embed(List<String> texts) {
    synchronized (this) {
      callSizes.add(texts.size());
    }
    CountDownLatch g = gate;
    if (g != null) {
      try {
        if (!g.await(1, TimeUnit.MINUTES)) {
          throw new IllegalStateException("the test never opened the embedder's gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at the embedder's gate", e);
      }
    }
    List<EmbeddingOutcome> outcomes = new ArrayList<>();
    for (String text : texts) {
      if (text == null || text.isBlank()) {
        rejected.incrementAndGet();
        outcomes.add(new EmbeddingOutcome.Rejected(RejectReason.EMPTY_TEXT, "blank text"));
      } else if (text.startsWith("REJECT")) {
        rejected.incrementAndGet();
        outcomes.add(
            new EmbeddingOutcome.Rejected(RejectReason.NO_TOKENS, "the tokenizer kept nothing"));
      } else {
        embedded.incrementAndGet();
        outcomes.add(new EmbeddingOutcome.Embedded(vector(text), 3, false));
      }
    }
    return new EmbeddingBatch(MODEL_ID, dimension, outcomes);
  }

  @Override
  public long truncatedCount() {
    return 0;
  }

  @Override
  public long rejectedCount() {
    return rejected.get();
  }

  @Override
  public void close() {}
}
