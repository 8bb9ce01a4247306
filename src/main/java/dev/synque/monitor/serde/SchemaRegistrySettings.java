package dev.synque.monitor.serde;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How to reach a schema registry. The keys are Confluent's own, so one configuration serves this
 * serde and Confluent's {@code SpecificAvroSerde} alike.
 *
 * @param urls registry base URLs, tried in order until one answers; never empty
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or null for none
 * @param tls trust and key material for HTTPS, or null for the JVM defaults
 * @param requestTimeout timeout of one HTTP request
 * @param autoRegisterSchemas whether the serializer registers its schema (true) or only looks it up
 * @param cacheCapacity most schemas cached per direction; beyond it the cache is cleared
 */
public record SchemaRegistrySettings(
    List<URI> urls,
    String basicAuthUserInfo,
    TlsSettings tls,
    Duration requestTimeout,
    boolean autoRegisterSchemas,
    int cacheCapacity) {

  /** Comma-separated registry URLs. Required. */
  public static final String URL = "schema.registry.url";

  /** Where basic-auth credentials come from: {@code USER_INFO} or {@code URL}. */
  public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";

  /** {@code user:password}, used when the credentials source is {@code USER_INFO}. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** Same as {@link #BASIC_AUTH_USER_INFO}, the name Confluent's clients outside serdes use. */
  public static final String REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";

  /** Truststore file (PKCS12 or JKS) holding the registry's CA. */
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";

  /** Truststore password. */
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";

  /** Truststore type, {@code PKCS12} by default. */
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

  /** Keystore file with this client's certificate, for mutual TLS. */
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";

  /** Keystore password. */
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";

  /** Keystore type, {@code PKCS12} by default. */
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";

  /** Password of the private key in the keystore; the keystore password when unset. */
  public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

  /** Whether serializers register their schema; default true. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /** Timeout of one registry request in milliseconds; default 10000. */
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

  /** Most schemas cached; default 1000. */
  public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";

  public SchemaRegistrySettings {
    Objects.requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new ConfigException(URL, "", "at least one schema registry URL is required");
    }
    urls = List.copyOf(urls);
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new ConfigException(REQUEST_TIMEOUT_MS, requestTimeout.toMillis(), "must be positive");
    }
    if (cacheCapacity < 1) {
      throw new ConfigException(CACHE_CAPACITY, cacheCapacity, "must be at least 1");
    }
    if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
      // The value is a secret: name the key, never the value.
      throw new ConfigException(
          BASIC_AUTH_USER_INFO + " must have the form user:password (the value is not shown)");
    }
  }

  /**
   * Every key with its type, default and documentation, for the configuration reference; {@link
   * #fromConfig} applies the defaults and rules.
   */
  public static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              URL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "Comma-separated registry base URLs, tried in order until one answers; user info in a URL is used when basic.auth.credentials.source is URL. Required.")
          .define(
              BASIC_AUTH_SOURCE,
              Type.STRING,
              "USER_INFO",
              ConfigDef.CaseInsensitiveValidString.in("USER_INFO", "URL"),
              Importance.MEDIUM,
              "Where HTTP basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL (the user info of the registry URL).")
          .define(
              BASIC_AUTH_USER_INFO,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              "user:password for HTTP basic auth, used when the credentials source is USER_INFO; never logged.")
          .define(
              REGISTRY_BASIC_AUTH_USER_INFO,
              Type.PASSWORD,
              null,
              Importance.LOW,
              "Same as basic.auth.user.info (the name Confluent's clients outside serdes use); read when that key is unset.")
          .define(
              TRUSTSTORE_LOCATION,
              Type.STRING,
              null,
              Importance.MEDIUM,
              "Truststore file (PKCS12 or JKS) holding the registry's CA; unset: the JVM's default trust.")
          .define(
              TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Truststore password.")
          .define(TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Truststore type.")
          .define(
              KEYSTORE_LOCATION,
              Type.STRING,
              null,
              Importance.MEDIUM,
              "Keystore file with this client's certificate, for mutual TLS.")
          .define(KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Keystore password.")
          .define(KEYSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Keystore type.")
          .define(
              KEY_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.LOW,
              "Password of the private key in the keystore; unset: the keystore password.")
          .define(
              AUTO_REGISTER_SCHEMAS,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "Whether serializers register their schema (true) or only look it up (false).")
          .define(
              REQUEST_TIMEOUT_MS,
              Type.LONG,
              10_000L,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "Timeout of one registry request, milliseconds.")
          .define(
              CACHE_CAPACITY,
              Type.INT,
              1000,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "Most schemas cached per direction; beyond it the cache is cleared.");

  /** Settings for a plain registry at one URL, with defaults for everything else. */
  public static SchemaRegistrySettings of(String url) {
    return fromConfig(Map.of(URL, url));
  }

  /**
   * Reads settings from a Kafka-style configuration map.
   *
   * @throws ConfigException naming the key and the rule when a value is missing or malformed
   */
  public static SchemaRegistrySettings fromConfig(Map<String, ?> config) {
    Object rawUrls = config.get(URL);
    if (rawUrls == null || rawUrls.toString().isBlank()) {
      throw new ConfigException(URL, rawUrls, "a schema registry URL is required");
    }
    List<URI> urls = new ArrayList<>();
    String userInfoFromUrl = null;
    for (String part : rawUrls.toString().split(",")) {
      String trimmed = part.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      URI uri = parseUrl(trimmed);
      if (uri.getUserInfo() != null) {
        userInfoFromUrl = uri.getUserInfo();
        uri = stripUserInfo(uri);
      }
      urls.add(uri);
    }
    String source = string(config, BASIC_AUTH_SOURCE, "USER_INFO");
    String userInfo =
        switch (source.toUpperCase(java.util.Locale.ROOT)) {
          case "USER_INFO" -> {
            String direct = string(config, BASIC_AUTH_USER_INFO, null);
            yield direct != null ? direct : string(config, REGISTRY_BASIC_AUTH_USER_INFO, null);
          }
          case "URL" -> userInfoFromUrl;
          default ->
              throw new ConfigException(
                  BASIC_AUTH_SOURCE, source, "supported sources are USER_INFO and URL");
        };
    TlsSettings tls = null;
    String truststore = string(config, TRUSTSTORE_LOCATION, null);
    String keystore = string(config, KEYSTORE_LOCATION, null);
    if (truststore != null || keystore != null) {
      String keystorePassword = string(config, KEYSTORE_PASSWORD, null);
      tls =
          new TlsSettings(
              truststore == null ? null : Path.of(truststore),
              secret(config, TRUSTSTORE_PASSWORD),
              string(config, TRUSTSTORE_TYPE, "PKCS12"),
              keystore == null ? null : Path.of(keystore),
              keystorePassword == null ? null : keystorePassword.toCharArray(),
              string(config, KEYSTORE_TYPE, "PKCS12"),
              config.get(KEY_PASSWORD) == null
                  ? secret(config, KEYSTORE_PASSWORD)
                  : secret(config, KEY_PASSWORD));
    }
    return new SchemaRegistrySettings(
        urls,
        userInfo == null || userInfo.isEmpty() ? null : userInfo,
        tls,
        Duration.ofMillis(positiveLong(config, REQUEST_TIMEOUT_MS, 10_000)),
        Boolean.parseBoolean(string(config, AUTO_REGISTER_SCHEMAS, "true")),
        (int) positiveLong(config, CACHE_CAPACITY, 1000));
  }

  /** Never prints the basic-auth password or keystore passwords. */
  @Override
  public String toString() {
    return "SchemaRegistrySettings[urls="
        + urls
        + ", basicAuth="
        + (basicAuthUserInfo == null ? "none" : basicAuthUserInfo.split(":", 2)[0] + ":[hidden]")
        + ", tls="
        + tls
        + ", requestTimeout="
        + requestTimeout
        + ", autoRegisterSchemas="
        + autoRegisterSchemas
        + ", cacheCapacity="
        + cacheCapacity
        + "]";
  }

  private static final java.util.regex.Pattern URL_USER_INFO =
      java.util.regex.Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://)[^/?#@\\s,]*@");

  /**
   * {@code text} with the user info of every URL in it ({@code scheme://user:password@host})
   * replaced by {@code [hidden]}, for logs and error messages: a registry URL may carry its
   * credentials.
   */
  public static String withoutUserInfo(String text) {
    return text == null ? null : URL_USER_INFO.matcher(text).replaceAll("$1[hidden]@");
  }

  private static URI parseUrl(String value) {
    URI uri;
    String shown = withoutUserInfo(value);
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          URL, shown, "not a valid URL: " + withoutUserInfo(String.valueOf(e.getMessage())));
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
      throw new ConfigException(URL, shown, "the URL must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(URL, shown, "the URL has no host");
    }
    return uri;
  }

  private static URI stripUserInfo(URI uri) {
    try {
      return new URI(
          uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(URL, uri.getHost(), e.getMessage());
    }
  }

  private static String string(Map<String, ?> config, String key, String fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof org.apache.kafka.common.config.types.Password password) {
      return password.value();
    }
    return value.toString();
  }

  private static char[] secret(Map<String, ?> config, String key) {
    String value = string(config, key, null);
    return value == null ? null : value.toCharArray();
  }

  private static long positiveLong(Map<String, ?> config, String key, long fallback) {
    String value = string(config, key, null);
    if (value == null) {
      return fallback;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a whole number");
    }
    if (parsed <= 0) {
      throw new ConfigException(key, value, "must be positive");
    }
    return parsed;
  }

  /**
   * TLS material for HTTPS registries. Passwords are kept as char arrays and never printed.
   *
   * @param truststore truststore file, or null for the JVM's default trust
   * @param truststorePassword its password, or null
   * @param truststoreType {@code PKCS12} or {@code JKS}
   * @param keystore keystore with the client certificate for mutual TLS, or null
   * @param keystorePassword its password, or null
   * @param keystoreType {@code PKCS12} or {@code JKS}
   * @param keyPassword the private key's password, or null
   */
  public record TlsSettings(
      Path truststore,
      char[] truststorePassword,
      String truststoreType,
      Path keystore,
      char[] keystorePassword,
      String keystoreType,
      char[] keyPassword) {

    @Override
    public String toString() {
      return "TlsSettings[truststore=" + truststore + ", keystore=" + keystore + "]";
    }
  }
}
