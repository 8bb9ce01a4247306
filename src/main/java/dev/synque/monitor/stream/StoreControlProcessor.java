package dev.synque.monitor.stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the control topic in the global {@value MonitorTopology#CONTROL_STORE}, on every instance:
 * generator id to the raw command ({@link Lifecycle}), a tombstone deletes. The store holds exactly
 * what the topic holds (a global store is restored by copying the topic), so a record that is not a
 * command is stored too, logged here with its coordinates, and ignored where commands are read.
 */
final class StoreControlProcessor implements Processor<String, byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(StoreControlProcessor.class);

  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, byte[]> store;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(MonitorTopology.CONTROL_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      warn("it has no key; control records are keyed by generator id");
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
      return;
    }
    if (Lifecycle.retiredAt(record.value()) == null) {
      warn("its value is not a command (expected 'retire <epoch-millis>')");
    }
    store.put(record.key(), record.value());
  }

  private void warn(String why) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    LOG.warn(
        "Control record {} partition {} offset {} is ignored: {}",
        meta.topic(),
        meta.partition(),
        meta.offset(),
        why);
  }
}
