package dev.synque.monitor.bench;

import dev.synque.monitor.stream.MonitorSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The monitor's consumer lag on the synthetic topic, as an operator would read it: the end offsets
 * minus the offsets the application has committed (under exactly-once, committed with each
 * transaction), summed over the partitions. It counts records not yet consumed and committed, so it
 * excludes what waits inside the monitor (embed buffer, scoring cadence), which the latency covers.
 */
final class InputLag implements AutoCloseable {

  private final Admin admin;
  private final String applicationId;
  private final String topic;

  InputLag(Map<String, Object> clientConfig, String applicationId, MonitorSettings settings) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    this.admin = Admin.create(config);
    this.applicationId = applicationId;
    this.topic = settings.syntheticTopic();
  }

  /** Records behind, or -1 when the broker did not answer in time. */
  long records() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(applicationId)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(java.util.List.of(topic))
          .allTopicNames()
          .get(10, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      long lag = 0;
      for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        lag += e.getValue().offset() - (c == null ? 0 : c.offset());
      }
      return lag;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (ExecutionException | TimeoutException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
