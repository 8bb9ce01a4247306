package dev.synque.monitor.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void shouldPrefixMagicByteAndBigEndianSchemaId() {
    byte[] framed = WireFormat.frame(0x01020304, new byte[] {42, 43});

    assertThat(framed).containsExactly(0, 1, 2, 3, 4, 42, 43);
  }

  @Test
  void shouldReadBackSchemaIdAndBodyBounds() {
    WireFormat.Framed framed = WireFormat.unframe("t", new byte[] {0, 0, 0, 1, 0, 7, 8, 9});

    assertThat(framed.schemaId()).isEqualTo(256);
    assertThat(framed.bodyOffset()).isEqualTo(5);
    assertThat(framed.bodyLength()).isEqualTo(3);
  }

  @Test
  void shouldNameTopicAndByteWhenMagicByteIsWrong() {
    byte[] json = "{\"text\":\"hi\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThatThrownBy(() -> WireFormat.unframe("samples-v1", json))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'samples-v1'")
        .hasMessageContaining("0x7b")
        .hasMessageContaining("magic byte");
  }

  @Test
  void shouldRejectRecordsShorterThanTheHeader() {
    assertThatThrownBy(() -> WireFormat.unframe("samples-v1", new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'samples-v1'")
        .hasMessageContaining("3 byte(s)");
  }
}
