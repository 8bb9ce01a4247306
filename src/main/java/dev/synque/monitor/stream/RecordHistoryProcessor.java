package dev.synque.monitor.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.synque.monitor.avro.QualityScores;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each generator's last {@value MonitorTopology#HISTORY_SIZE} quality-scores records, oldest
 * first, as a JSON array in {@value MonitorTopology#SCORE_HISTORY_STORE} (keyed by generator, so it
 * lives with the generator's partition), for the HTTP history query.
 */
final class RecordHistoryProcessor implements Processor<String, QualityScores, Void, Void> {

  private KeyValueStore<String, String> history;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.history = context.getStateStore(MonitorTopology.SCORE_HISTORY_STORE);
  }

  @Override
  public void process(Record<String, QualityScores> record) {
    String generator = record.value().getGeneratorId();
    try {
      String stored = history.get(generator);
      ArrayNode list =
          stored == null
              ? MonitorJson.MAPPER.createArrayNode()
              : (ArrayNode) MonitorJson.MAPPER.readTree(stored);
      list.add(MonitorJson.scores(record.value()));
      while (list.size() > MonitorTopology.HISTORY_SIZE) {
        list.remove(0);
      }
      history.put(generator, MonitorJson.MAPPER.writeValueAsString(list));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("score history of " + generator + " is not JSON", e);
    }
  }
}
