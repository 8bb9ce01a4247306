package dev.synque.monitor.stream;

import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.serde.SchemaRegistryException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the reference topic in the global {@value MonitorTopology#REFERENCE_STORE}, on every
 * instance: key to the raw value bytes, a tombstone deletes. The store holds exactly what the topic
 * holds (a global store is restored by copying the topic, bypassing this processor), so bad records
 * are stored too and skipped by {@link ReferenceSets} when the set is read. A global processor
 * cannot forward, so a bad reference record is logged here with topic, partition and offset and
 * counted, rather than dead-lettered.
 */
final class StoreReferenceProcessor implements Processor<String, byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(StoreReferenceProcessor.class);

  private final Deserializer<ReferenceSample> deserializer;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, byte[]> store;

  StoreReferenceProcessor(Deserializer<ReferenceSample> deserializer) {
    this.deserializer = deserializer;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(MonitorTopology.REFERENCE_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      warn("it has no key; reference samples are keyed by set and sample id");
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
      return;
    }
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    try {
      ReferenceSample sample = deserializer.deserialize(meta.topic(), record.value());
      if (sample.getText() == null || sample.getText().isBlank()) {
        warn("sample " + sample.getSampleId() + " has a blank text (EMPTY_TEXT)");
      }
    } catch (RuntimeException e) {
      if (SchemaRegistryException.transientCause(e).isPresent()) {
        // Not the record's fault: it is stored and read when the reference set is next built.
        LOG.warn(
            "Reference record {} partition {} offset {} cannot be checked now, the schema"
                + " registry is unavailable ({}); it is kept and read once the registry answers",
            meta.topic(),
            meta.partition(),
            meta.offset(),
            e.getMessage());
      } else {
        warn("DESERIALIZATION_FAILED: " + e.getMessage());
      }
    }
    store.put(record.key(), record.value());
  }

  private void warn(String why) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    LOG.warn(
        "Reference record {} partition {} offset {} is skipped: {}",
        meta.topic(),
        meta.partition(),
        meta.offset(),
        why);
  }
}
