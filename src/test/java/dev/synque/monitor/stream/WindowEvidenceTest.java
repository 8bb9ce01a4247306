package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WindowEvidenceTest {

  @Test
  void shouldCutTextsAtACodePointWithinTheByteBudget() {
    assertThat(WindowEvidence.cut("short", 280)).isEqualTo("short");
    String emoji = "ab😀😀😀";
    // "ab" + ellipsis is 5 bytes, one emoji more would be 9
    assertThat(WindowEvidence.cut(emoji, 8)).isEqualTo("ab…");
    String cut = WindowEvidence.cut("é".repeat(300), 280);
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(280);
    assertThat(cut).endsWith("…").startsWith("éé");
  }

  @Test
  void shouldPickTheLowestValuesTiesByPosition() {
    assertThat(WindowEvidence.lowest(new double[] {3, 1, 2, 1, 0, 5, 9}))
        .containsExactly(4, 1, 3, 2, 0);
    assertThat(WindowEvidence.lowest(new double[] {2, 1})).containsExactly(1, 0);
  }

  @Test
  void shouldSeedTheFloorsFromTheReferenceVersionAlone() {
    assertThat(WindowEvidence.seed("v1")).isEqualTo(WindowEvidence.seed("v1"));
    assertThat(WindowEvidence.seed("v1")).isNotEqualTo(WindowEvidence.seed("v2"));
  }
}
