package dev.synque.monitor.contracts;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * A topic and the Avro record its values carry.
 *
 * @param topic default topic name, kebab case with a version suffix
 * @param valueType the generated record class of the values
 * @param compacted whether the topic is log-compacted (latest value per key is kept)
 * @param purpose one line for people
 */
public record Contract(
    String topic, Class<? extends SpecificRecord> valueType, boolean compacted, String purpose) {

  public Contract {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(purpose, "purpose");
  }

  /** The value schema, as generated from {@code schemas/}. */
  public Schema valueSchema() {
    return SpecificData.get().getSchema(valueType);
  }
}
