package dev.synque.monitor.serde;

import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;

/**
 * The one place Avro serdes are made. By default it makes this project's {@link SpecificAvroSerde}
 * sharing one registry client (and its caches); naming another serde class in {@link #SERDE_CLASS}
 * — for example Confluent's {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde} —
 * makes that one instead, configured with the same map plus {@code specific.avro.reader=true}.
 */
public final class AvroSerdeFactory {

  /** Class name of the Avro serde to use; it needs a public no-argument constructor. */
  public static final String SERDE_CLASS = "synque.avro.serde.class";

  /** The default of {@link #SERDE_CLASS}. */
  public static final String DEFAULT_SERDE_CLASS = SpecificAvroSerde.class.getName();

  /** {@link #SERDE_CLASS} with its default and documentation, for the configuration reference. */
  public static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              SERDE_CLASS,
              ConfigDef.Type.STRING,
              DEFAULT_SERDE_CLASS,
              ConfigDef.Importance.LOW,
              "Class of the Avro serde the monitor, the LENS worker and the publishing commands"
                  + " make; it needs a public"
                  + " no-argument constructor. Confluent's"
                  + " io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde works when its jars"
                  + " are on the classpath (configured with the same map plus"
                  + " specific.avro.reader=true).");

  private final Map<String, Object> config;
  private final String serdeClass;
  private final SchemaRegistryClient sharedClient;

  /**
   * @param config serde configuration: {@link SchemaRegistrySettings} keys and optionally {@link
   *     #SERDE_CLASS}
   * @throws ConfigException when the registry settings are invalid
   */
  public AvroSerdeFactory(Map<String, ?> config) {
    this.config = new HashMap<>(config);
    Object named = config.get(SERDE_CLASS);
    this.serdeClass = named == null ? DEFAULT_SERDE_CLASS : named.toString().trim();
    this.sharedClient =
        DEFAULT_SERDE_CLASS.equals(serdeClass)
            ? new RestSchemaRegistryClient(SchemaRegistrySettings.fromConfig(config))
            : null;
  }

  /**
   * A factory whose default serdes use the given client (for tests and embedded setups).
   *
   * @param config serde configuration, as for {@link #AvroSerdeFactory(Map)}
   * @param client the registry client every default serde shares
   */
  public AvroSerdeFactory(Map<String, ?> config, SchemaRegistryClient client) {
    this.config = new HashMap<>(config);
    this.serdeClass = DEFAULT_SERDE_CLASS;
    this.sharedClient = client;
  }

  /** A configured serde for record values of the given type. */
  public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
    return create(type, false);
  }

  /** A configured serde for record keys of the given type. */
  public <T extends SpecificRecord> Serde<T> keySerde(Class<T> type) {
    return create(type, true);
  }

  /**
   * Registers the value schema of {@code type} under {@code topic}'s subject (or, with {@code
   * auto.register.schemas=false}, checks that it is registered), as its serializer would on the
   * first record, and caches the id. Applications call it before they start, so that an unreachable
   * registry or refused credentials show up then, with a clear message, rather than in the middle
   * of a transaction. A plugged-in serde class keeps its own client: then nothing is done.
   *
   * @throws SchemaRegistryException when the registry is unreachable or refuses the schema
   */
  public <T extends SpecificRecord> void prepareValueSchema(String topic, Class<T> type) {
    if (sharedClient == null) {
      return;
    }
    Schema schema = SpecificData.getForClass(type).getSchema(type);
    String subject = SubjectNames.topicName(topic, false);
    Object flag = config.get(SchemaRegistrySettings.AUTO_REGISTER_SCHEMAS);
    if (flag == null || Boolean.parseBoolean(flag.toString().trim())) {
      sharedClient.register(subject, schema);
    } else {
      sharedClient.lookup(subject, schema);
    }
  }

  /** The serde class this factory makes. */
  public String serdeClass() {
    return serdeClass;
  }

  private <T extends SpecificRecord> Serde<T> create(Class<T> type, boolean isKey) {
    if (sharedClient != null) {
      Serde<T> serde = new SpecificAvroSerde<>(type, sharedClient);
      serde.configure(config, isKey);
      return serde;
    }
    Serde<T> serde = instantiate();
    Map<String, Object> pluggedConfig = new HashMap<>(config);
    pluggedConfig.putIfAbsent("specific.avro.reader", true);
    serde.configure(pluggedConfig, isKey);
    return serde;
  }

  @SuppressWarnings("unchecked")
  private <T> Serde<T> instantiate() {
    Class<?> cls;
    try {
      cls = Class.forName(serdeClass, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigException(
          SERDE_CLASS, serdeClass, "no such class on the classpath; add its jar or remove the key");
    }
    if (!Serde.class.isAssignableFrom(cls)) {
      throw new ConfigException(
          SERDE_CLASS, serdeClass, "the class does not implement " + Serde.class.getName());
    }
    try {
      return (Serde<T>) cls.getDeclaredConstructor().newInstance();
    } catch (NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw new ConfigException(
          SERDE_CLASS, serdeClass, "cannot create it with a public no-argument constructor: " + e);
    }
  }
}
