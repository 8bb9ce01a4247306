package dev.synque.monitor.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record whose Avro body holds a string that is not valid UTF-8. Avro itself would decode it with
 * U+FFFD replacement characters, silently changing the text; this project refuses it instead.
 */
public final class InvalidUtf8Exception extends SerializationException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message names the topic, the schema id, the field and the byte offset
   */
  public InvalidUtf8Exception(String message) {
    super(message);
  }
}
