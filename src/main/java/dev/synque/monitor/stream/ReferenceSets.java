package dev.synque.monitor.stream;

import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.FrechetReference;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbeddingBatch;
import dev.synque.monitor.embed.EmbeddingOutcome;
import dev.synque.monitor.serde.SchemaRegistryException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the current reference set from the global {@value MonitorTopology#REFERENCE_STORE} and
 * embeds it, once per instance and model.
 *
 * <p><b>Current version.</b> Of the samples of the configured set (any set when none is
 * configured), the version of the sample with the latest event time (ties: the greater version
 * string) is current; the reference is that version's samples with a non-blank text, sorted by
 * sample id. Publishing samples with a newer event time and a new version therefore replaces the
 * set; older versions left in the topic are ignored.
 *
 * <p><b>Why embed per instance.</b> The texts are kept (in the global store, i.e. the compacted
 * topic) rather than the vectors: the reference is small (hundreds of texts), every instance needs
 * all of it, and vectors depend on the model, so each instance embeds it once with its own embedder
 * and caches the result, keyed by a fingerprint of the stored bytes. A model change or a new
 * version re-embeds; nothing about the vectors has to be versioned on a topic. The vectors of the
 * latest set are kept by text, so a version published record by record embeds each text once, not
 * the whole set again per record (exact: every model the project ships is batch-invariant, a text
 * gets the same vector alone or in any batch).
 *
 * <p><b>Failures.</b> A record that cannot be read is skipped (logged by {@link
 * StoreReferenceProcessor} when it arrived), and so is a sample the embedder rejects or gives a
 * non-finite vector. But when the schema registry is unavailable nothing is skipped or cached: the
 * read is retried in place ({@link RegistryWait}) and then thrown to the calling stream thread,
 * which is replaced and asks again, so a registry outage cannot leave a reference built from part
 * of its samples in the cache.
 *
 * <p>Thread-safe: shared by the stream tasks of one instance.
 */
final class ReferenceSets {

  private static final Logger LOG = LoggerFactory.getLogger(ReferenceSets.class);

  private final String referenceSetId;
  private final String topic;
  private final Deserializer<ReferenceSample> deserializer;
  private final Supplier<Embedder> embedderSupplier;
  private final RegistryWait registryWait;
  private long cachedFingerprint;
  private Optional<ReferenceSnapshot> cached = Optional.empty();
  private boolean hasCache;
  // The vectors of the latest set's texts, by text, with the model that made them.
  private Map<String, float[]> vectors = Map.of();
  private String vectorsModel;

  ReferenceSets(
      String referenceSetId,
      String topic,
      Deserializer<ReferenceSample> deserializer,
      Supplier<Embedder> embedderSupplier,
      RegistryWait registryWait) {
    this.referenceSetId = referenceSetId;
    this.topic = topic;
    this.deserializer = deserializer;
    this.embedderSupplier = embedderSupplier;
    this.registryWait = registryWait;
  }

  /** The reference topic read (for messages). */
  String topic() {
    return topic;
  }

  /** The current reference, embedded; empty while there is none. */
  synchronized Optional<ReferenceSnapshot> current(ReadOnlyKeyValueStore<String, byte[]> store) {
    long fingerprint = 0x9E3779B97F4A7C15L;
    List<byte[]> values = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        fingerprint = mix(fingerprint, kv.key.hashCode());
        fingerprint = mix(fingerprint, java.util.Arrays.hashCode(kv.value));
        values.add(kv.value);
      }
    }
    if (hasCache && fingerprint == cachedFingerprint) {
      return cached;
    }
    Optional<ReferenceSnapshot> previous = cached;
    cached = build(values);
    cachedFingerprint = fingerprint;
    hasCache = true;
    String before = previous.map(ReferenceSnapshot::version).orElse(null);
    String after = cached.map(ReferenceSnapshot::version).orElse(null);
    if (!java.util.Objects.equals(before, after)) {
      LOG.info(
          "Reference set{} version {} -> {} ({} samples): comparisons restart against it",
          referenceSetId.isEmpty() ? "" : " " + referenceSetId,
          before,
          after,
          cached.map(ReferenceSnapshot::size).orElse(0));
    }
    return cached;
  }

  private Optional<ReferenceSnapshot> build(List<byte[]> values) {
    List<ReferenceSample> samples = new ArrayList<>();
    for (byte[] value : values) {
      try {
        ReferenceSample s =
            registryWait.call(
                () -> deserializer.deserialize(topic, value), "reading the reference set");
        if ((referenceSetId.isEmpty() || referenceSetId.equals(s.getReferenceSetId()))
            && s.getText() != null
            && !s.getText().isBlank()) {
          samples.add(s);
        }
      } catch (RuntimeException e) {
        if (SchemaRegistryException.transientCause(e).isPresent()) {
          throw new IllegalStateException(
              "The schema registry is unavailable, so the reference set cannot be read now; it is"
                  + " read again once the registry answers: "
                  + e.getMessage(),
              e);
        }
        // Logged with its coordinates by StoreReferenceProcessor when it arrived.
      }
    }
    Optional<ReferenceSample> latest =
        samples.stream()
            .max(
                Comparator.comparing((ReferenceSample s) -> s.getEventTime())
                    .thenComparing(ReferenceSample::getReferenceVersion));
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    String version = latest.get().getReferenceVersion();
    List<ReferenceSample> set =
        samples.stream()
            .filter(s -> s.getReferenceVersion().equals(version))
            .sorted(Comparator.comparing(ReferenceSample::getSampleId))
            .toList();
    Embedder embedder = embedderSupplier.get();
    String model = embedder.model().id();
    Map<String, float[]> known = model.equals(vectorsModel) ? vectors : Map.of();
    List<String> missing =
        set.stream()
            .map(ReferenceSample::getText)
            .filter(t -> !known.containsKey(t))
            .distinct()
            .toList();
    Map<String, EmbeddingOutcome> embedded = new HashMap<>();
    if (!missing.isEmpty()) {
      EmbeddingBatch batch = embedder.embed(missing);
      for (int i = 0; i < missing.size(); i++) {
        embedded.put(missing.get(i), batch.outcomes().get(i));
      }
    }
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    Map<String, float[]> kept = new HashMap<>();
    for (ReferenceSample sample : set) {
      String text = sample.getText();
      float[] vector = known.get(text);
      EmbeddingOutcome outcome = embedded.get(text);
      if (vector == null && outcome instanceof EmbeddingOutcome.Embedded e) {
        if (EmbedSamplesProcessor.nonFinite(e.vector()) != null) {
          LOG.warn(
              "Reference sample {} of version {} is skipped: the embedder gave it a vector with {}",
              sample.getSampleId(),
              version,
              EmbedSamplesProcessor.nonFinite(e.vector()));
          continue;
        }
        vector = e.vector();
      }
      if (vector == null) {
        LOG.warn(
            "Reference sample {} of version {} is skipped: the embedder rejected it: {}",
            sample.getSampleId(),
            version,
            outcome);
        continue;
      }
      ids.add(sample.getSampleId());
      texts.add(text);
      rows.add(vector);
      kept.put(text, vector);
    }
    vectors = kept;
    vectorsModel = model;
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    EmbeddingSet embeddings = EmbeddingSet.of("reference-" + version, rows.toArray(float[][]::new));
    return Optional.of(
        new ReferenceSnapshot(
            version, model, ids, texts, embeddings, FrechetReference.of(embeddings)));
  }

  private static long mix(long h, int v) {
    h ^= v;
    h *= 0x100000001B3L;
    return h ^ (h >>> 29);
  }
}
