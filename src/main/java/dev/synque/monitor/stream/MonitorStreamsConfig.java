package dev.synque.monitor.stream;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties of the monitor: every key of the configuration file that is not a
 * {@code synque.*} key passes through to Kafka Streams, with these defaults where the file says
 * nothing: {@code application.id=synque-monitor}, {@code processing.guarantee=exactly_once_v2}, and
 * room for large state records: a window's state is several megabytes (about 4 MB for d = 384 and a
 * reservoir of 1,024), above Kafka's 1 MB default, so {@code producer.max.request.size} and the
 * internal topics' {@code max.message.bytes} ({@code topic.max.message.bytes}) default to {@value
 * #MAX_STATE_RECORD_BYTES} bytes; the record cache that batches window-state writes up to a commit
 * ({@code statestore.cache.max.bytes}) defaults to {@value #STATE_CACHE_BYTES} bytes; and {@code
 * commit.interval.ms} defaults to {@value #COMMIT_INTERVAL_MS} ms instead of exactly-once's 100:
 * every commit flushes each changed window state (megabytes) to RocksDB and its changelog, and a
 * micro-batch of one generator arrives every few hundred milliseconds, so a 100 ms commit rewrites
 * every state after each batch. Measured with {@code bench/MonitorThroughput} on 2 cores: 55% of
 * the embedder's throughput at 100 ms, 69–80% at 1,000 ms. Results become visible to {@code
 * read_committed} consumers at the commit, so this is also the added latency. RocksDB's memory is
 * bounded by {@link BoundedRocksDbConfig} ({@code rocksdb.config.setter}), sized by the {@code
 * synque.rocksdb.*} keys, which pass through for it.
 */
public final class MonitorStreamsConfig {

  /** The default {@code application.id}. */
  public static final String DEFAULT_APPLICATION_ID = "synque-monitor";

  /** Default largest record the monitor writes (32 MiB): a window state's changelog record. */
  public static final int MAX_STATE_RECORD_BYTES = 32 * 1024 * 1024;

  /** Default record cache of an instance (256 MiB): room for the open windows' states. */
  public static final long STATE_CACHE_BYTES = 256L * 1024 * 1024;

  /** Default commit interval (1 s); see the class comment. */
  public static final long COMMIT_INTERVAL_MS = 1_000;

  private MonitorStreamsConfig() {}

  /**
   * The Streams properties, validated by {@link StreamsConfig}.
   *
   * @throws ConfigException naming the key and the rule (for example a missing {@code
   *     bootstrap.servers})
   */
  public static Properties from(Map<?, ?> config) {
    Properties props = new Properties();
    config.forEach(
        (k, v) -> {
          // synque.rocksdb.* reach the stores' RocksDBConfigSetter through Kafka Streams.
          if (!k.toString().startsWith("synque.") || k.toString().startsWith("synque.rocksdb.")) {
            props.put(k.toString(), v);
          }
        });
    BoundedRocksDbConfig.Sizes.fromConfig(props);
    props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class);
    props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
    props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.putIfAbsent(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        MAX_STATE_RECORD_BYTES);
    props.putIfAbsent(
        StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), MAX_STATE_RECORD_BYTES);
    props.putIfAbsent(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, STATE_CACHE_BYTES);
    props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
    // The last-line exception handler also covers the reference's global processor (Kafka
    // Streams' default from 5.0 on).
    props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    if (!props.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new ConfigException(
          StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, null, "is required (host:port,...)");
    }
    new StreamsConfig(props);
    return props;
  }
}
