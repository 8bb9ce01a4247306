package dev.synque.monitor.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicDefinitionsTest {

  @Test
  void shouldDefineEveryContractOnceInContractOrder() {
    assertThat(TopicDefinitions.defaults())
        .extracting(TopicDefinition::contract)
        .containsExactlyElementsOf(Contracts.ALL);
    assertThat(TopicDefinitions.defaults())
        .extracting(TopicDefinition::name)
        .containsExactlyElementsOf(Contracts.ALL.stream().map(Contract::topic).toList());
  }

  @Test
  void shouldCompactExactlyTheCompactedContracts() {
    for (TopicDefinition d : TopicDefinitions.defaults()) {
      assertThat(d.configs().get("cleanup.policy"))
          .as(d.name())
          .isEqualTo(d.contract().compacted() ? "compact" : "delete");
      assertThat(d.configs().containsKey("retention.ms"))
          .as(d.name())
          .isNotEqualTo(d.contract().compacted());
    }
  }

  @Test
  void shouldRaiseTheRecordLimitWhereARecordCanPassOneMegabyte() {
    assertThat(TopicDefinitions.of(Contracts.DEAD_LETTERS).configs())
        .containsEntry("max.message.bytes", "4194304")
        .containsEntry("retention.ms", "2592000000");
    assertThat(TopicDefinitions.of(Contracts.LENS_REQUESTS).configs())
        .containsEntry("max.message.bytes", "4194304");
    assertThat(TopicDefinitions.of(Contracts.RANKINGS).configs())
        .doesNotContainKey("max.message.bytes")
        .containsEntry("retention.ms", "604800000");
  }

  @Test
  void shouldRenameOnlyTheNamedTopics() {
    var named = TopicDefinitions.named(Map.of(Contracts.RANKINGS, "team-rankings"));

    assertThat(named)
        .extracting(TopicDefinition::name)
        .contains("team-rankings", "synque-quality-scores-v1");
    assertThat(named.get(Contracts.ALL.indexOf(Contracts.RANKINGS)).partitions()).isEqualTo(1);
  }

  @Test
  void shouldRejectAnIllegalNameOrPartitionCountNamingTheValue() {
    TopicDefinition rankings = TopicDefinitions.of(Contracts.RANKINGS);

    assertThatThrownBy(() -> rankings.withName("has space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'has space'")
        .hasMessageContaining("a-z A-Z 0-9 . _ -");
    assertThatThrownBy(() -> rankings.withPartitions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("synque-rankings-v1")
        .hasMessageContaining("at least 1");
  }
}
