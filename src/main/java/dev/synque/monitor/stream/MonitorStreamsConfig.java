package dev.synque.monitor.stream;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams properties of the monitor: every key of the configuration file that is not a
 * {@code synque.*} key passes through to Kafka Streams, with these defaults where the file says
 * nothing: {@code application.id=synque-monitor}, {@code processing.guarantee=exactly_once_v2}.
 */
public final class MonitorStreamsConfig {

  /** The default {@code application.id}. */
  public static final String DEFAULT_APPLICATION_ID = "synque-monitor";

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
          if (!k.toString().startsWith("synque.")) {
            props.put(k.toString(), v);
          }
        });
    props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
    props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    if (!props.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new ConfigException(
          StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, null, "is required (host:port,...)");
    }
    new StreamsConfig(props);
    return props;
  }
}
