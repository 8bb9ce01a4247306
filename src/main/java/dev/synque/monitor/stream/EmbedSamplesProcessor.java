package dev.synque.monitor.stream;

import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbeddingBatch;
import dev.synque.monitor.embed.EmbeddingOutcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batches validated samples through the {@link Embedder}.
 *
 * <p>Every sample is first written to the changelogged {@value MonitorTopology#EMBED_BUFFER_STORE}
 * (key: a per-task sequence number), so under exactly-once a sample whose input offset is committed
 * is either already forwarded or still in the buffer: a crash loses nothing and forwards nothing
 * twice. The buffer is flushed when it holds {@code embedBatchSize} samples, or when its oldest
 * sample has waited {@code embedMaxWait} (wall clock, checked by a punctuation every quarter of it;
 * the wait must stay far below {@code max.poll.interval.ms}). Flushing by age rather than on every
 * tick matters for throughput: while the stream thread is busy embedding one task's batch, the
 * other tasks' buffers keep filling, and a tick that flushed them half full would feed the embedder
 * small, less efficient batches.
 *
 * <p>A flush forwards, per generator and in arrival order, one {@link EmbeddedSamples}; a text the
 * embedder rejects becomes a {@code DeadLetter} with the embedder's reason ({@code EMPTY_TEXT},
 * {@code INVALID_UNICODE}, {@code NO_TOKENS}, ...). A vector with a NaN or infinite component is
 * dead-lettered too ({@code NON_FINITE_EMBEDDING}), whatever the embedder claims: added to a
 * window's running moments it would make that window's scores NaN for good (the all-time view never
 * recovers), so one bad input would silently take a generator out of the ranking.
 *
 * <p><b>Asynchronous embedding</b> (with an {@link EmbeddingExecutor}): a batch is handed to the
 * executor and the task goes on; results are forwarded on the stream thread, in order, as soon as
 * they are seen to be done (next record, next punctuation). A task keeps at most {@value
 * #MAX_IN_FLIGHT} batches in flight: a new batch is handed over <em>before</em> the task waits for
 * its oldest one, so the model has the next batch queued while the stream thread forwards the last
 * one and updates window states (with one batch in flight the model sat idle during that work).
 * Batching is work-conserving: when the executor is idle (nothing queued or running), a task hands
 * over whatever it has buffered at once, since waiting for a full batch would only leave the model
 * idle; under load the executor is busy, so batches fill to {@code embedBatchSize} while they wait,
 * and {@code embedMaxWait} bounds the wait in between. Samples stay in the buffer store until their
 * batch is forwarded, so exactly-once holds as in the synchronous mode: a batch lost in flight
 * (crash, rebalance) is restored from the store and embedded again. The synchronous mode keeps the
 * fill-or-age rule: there the model runs on the stream thread, which is never "idle" while it
 * waits.
 */
final class EmbedSamplesProcessor
    implements Processor<String, ValidSample, String, Outcome<EmbeddedSamples>> {

  private static final Logger LOG = LoggerFactory.getLogger(EmbedSamplesProcessor.class);

  private final Supplier<Embedder> embedderSupplier;
  private final MonitorMetrics metrics;
  private final Deserializer<SyntheticSample> deserializer;
  private final int batchSize;
  private final Duration maxWait;
  private final EmbeddingExecutor executor;
  private final int deadLetterMaxBytes;

  /** Batches a task may have on the executor at once (see the class comment). */
  static final int MAX_IN_FLIGHT = 2;

  /** Longest gap between two checks for done batches and an idle executor. */
  private static final Duration MAX_TICK = Duration.ofMillis(25);

  /** The batches on the executor, oldest first. */
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

  private record InFlight(
      List<Map.Entry<Long, ValidSample>> entries, Future<EmbeddingBatch> batch) {}

  private ProcessorContext<String, Outcome<EmbeddedSamples>> context;
  private KeyValueStore<Long, byte[]> store;
  private DeadLetters deadLetters;
  private Embedder embedder;
  private final List<Map.Entry<Long, ValidSample>> buffer = new ArrayList<>();
  private long nextSequence;

  /** Wall-clock time the oldest buffered sample arrived (restored samples: at init). */
  private long oldestArrival;

  EmbedSamplesProcessor(
      Supplier<Embedder> embedderSupplier,
      Deserializer<SyntheticSample> deserializer,
      int batchSize,
      Duration maxWait,
      int deadLetterMaxBytes,
      MonitorMetrics metrics,
      EmbeddingExecutor executor) {
    this.executor = executor;
    this.deadLetterMaxBytes = deadLetterMaxBytes;
    this.metrics = metrics;
    this.embedderSupplier = embedderSupplier;
    this.deserializer = deserializer;
    this.batchSize = batchSize;
    this.maxWait = maxWait;
  }

  @Override
  public void init(ProcessorContext<String, Outcome<EmbeddedSamples>> context) {
    this.context = context;
    this.store = context.getStateStore(MonitorTopology.EMBED_BUFFER_STORE);
    this.deadLetters = new DeadLetters(context, LOG, "embed-samples", deadLetterMaxBytes);
    this.embedder = embedderSupplier.get();
    // Kafka Streams re-initialises the same processor when it revives a task closed dirty (a
    // corrupted task under exactly-once): the store has been rolled back to the last commit, so
    // the in-memory copy is rebuilt from it (and a batch still in flight is dropped), or samples
    // of the aborted transaction would be embedded again next to their reprocessed selves.
    close();
    buffer.clear();
    nextSequence = 0;
    try (KeyValueIterator<Long, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        SourceRecord source = SourceRecord.fromBytes(kv.value);
        SyntheticSample sample = deserializer.deserialize(source.topic(), source.value());
        buffer.add(Map.entry(kv.key, new ValidSample(sample, source)));
        nextSequence = Math.max(nextSequence, kv.key + 1);
      }
    }
    if (!buffer.isEmpty()) {
      LOG.info("Task {}: {} buffered samples restored", context.taskId(), buffer.size());
    }
    oldestArrival = context.currentSystemTimeMs();
    Duration tick = maxWait.dividedBy(4);
    if (executor != null && tick.compareTo(MAX_TICK) > 0) {
      // a done batch or an idle model is noticed within MAX_TICK even when no record arrives
      tick = MAX_TICK;
    }
    context.schedule(
        tick.isZero() ? maxWait : tick,
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          completeIfDone();
          if (now - oldestArrival >= maxWait.toMillis() || embedderIdle()) {
            flush();
          }
        });
  }

  @Override
  public void process(Record<String, ValidSample> record) {
    completeIfDone();
    if (buffer.isEmpty()) {
      oldestArrival = context.currentSystemTimeMs();
    }
    long sequence = nextSequence++;
    store.put(sequence, record.value().source().toBytes());
    buffer.add(Map.entry(sequence, record.value()));
    if (buffer.size() >= batchSize || embedderIdle()) {
      flush();
    }
  }

  /** Whether the model would otherwise wait for this task's batch to fill (async mode only). */
  private boolean embedderIdle() {
    return executor != null && executor.idle();
  }

  /**
   * Hands the buffer to the embedder: synchronously, or to the executor (see the class comment).
   */
  private void flush() {
    if (buffer.isEmpty()) {
      return;
    }
    List<Map.Entry<Long, ValidSample>> entries = new ArrayList<>(buffer);
    buffer.clear();
    List<String> texts = new ArrayList<>(entries.size());
    for (Map.Entry<Long, ValidSample> e : entries) {
      texts.add(e.getValue().sample().getText());
    }
    if (executor == null) {
      forward(entries, embed(texts));
      return;
    }
    inFlight.addLast(new InFlight(entries, executor.submit(() -> embed(texts))));
    while (inFlight.size() > MAX_IN_FLIGHT) {
      completeOldest();
    }
  }

  private EmbeddingBatch embed(List<String> texts) {
    long started = System.nanoTime();
    EmbeddingBatch batch = embedder.embed(texts);
    metrics.embeddingBatch(texts.size(), System.nanoTime() - started);
    return batch;
  }

  /** Forwards the batches that are done, oldest first, up to the first one still running. */
  private void completeIfDone() {
    while (!inFlight.isEmpty() && inFlight.peekFirst().batch().isDone()) {
      completeOldest();
    }
  }

  /** Waits for the oldest batch in flight and forwards it. */
  private void completeOldest() {
    InFlight done = inFlight.removeFirst();
    EmbeddingBatch batch;
    try {
      batch = done.batch().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an embedding batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the embedder failed: " + e.getCause(), e.getCause());
    }
    forward(done.entries(), batch);
  }

  @Override
  public void close() {
    // Batches still in flight are dropped: their samples are still in the buffer store and are
    // embedded again by whichever instance restores this task.
    for (InFlight dropped : inFlight) {
      dropped.batch().cancel(false);
    }
    inFlight.clear();
  }

  private void forward(List<Map.Entry<Long, ValidSample>> entries, EmbeddingBatch batch) {
    Map<String, List<EmbeddedSamples.Item>> byGenerator = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      ValidSample sample = entries.get(i).getValue();
      String generator = sample.sample().getGeneratorId();
      long eventTime = sample.sample().getEventTime().toEpochMilli();
      if (batch.outcomes().get(i) instanceof EmbeddingOutcome.Rejected rejected) {
        context.forward(
            new Record<>(
                generator,
                Outcome.rejected(
                    deadLetters.of(
                        rejected.reason().name(), rejected.message(), null, sample.source())),
                eventTime));
        continue;
      }
      float[] vector = batch.vector(i);
      String nonFinite = nonFinite(vector);
      if (nonFinite != null) {
        String message =
            String.format(
                "the embedder (%s) gave sample %s a vector with %s; every component must be a"
                    + " finite number",
                batch.modelId(), sample.sample().getSampleId(), nonFinite);
        context.forward(
            new Record<>(
                generator,
                Outcome.rejected(
                    deadLetters.of("NON_FINITE_EMBEDDING", message, null, sample.source())),
                eventTime));
        continue;
      }
      byGenerator
          .computeIfAbsent(generator, g -> new ArrayList<>())
          .add(new EmbeddedSamples.Item(sample, vector));
    }
    for (Map.Entry<Long, ValidSample> e : entries) {
      store.delete(e.getKey());
    }
    byGenerator.forEach(
        (generator, items) -> {
          long timestamp =
              items.stream()
                  .mapToLong(it -> it.sample().sample().getEventTime().toEpochMilli())
                  .max()
                  .orElseThrow();
          context.forward(
              new Record<>(
                  generator,
                  Outcome.passed(new EmbeddedSamples(generator, batch.modelId(), items)),
                  timestamp));
        });
  }

  /** "component 3 = NaN" for the first non-finite component, or null when all are finite. */
  static String nonFinite(float[] vector) {
    for (int j = 0; j < vector.length; j++) {
      if (!Float.isFinite(vector[j])) {
        return "component " + j + " = " + vector[j];
      }
    }
    return null;
  }
}
