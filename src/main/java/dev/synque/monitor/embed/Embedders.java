package dev.synque.monitor.embed;

import java.util.Map;
import java.util.Optional;

/** Opens the embedder a configuration names: a server when it sets a URL, else the local model. */
public final class Embedders {

  private Embedders() {}

  /**
   * Opens {@link OpenAiEmbedder} when {@link RemoteEmbedderSettings#URL} is set, else {@link
   * DjlEmbedder}. Every key is validated before anything is loaded or contacted.
   *
   * @param config {@code synque.embed.*} keys; others are ignored
   * @throws org.apache.kafka.common.config.ConfigException naming the key and the rule
   */
  public static Embedder open(Map<String, ?> config) {
    Optional<RemoteEmbedderSettings> remote = RemoteEmbedderSettings.fromConfig(config);
    if (remote.isPresent()) {
      return OpenAiEmbedder.open(remote.get());
    }
    return DjlEmbedder.open(EmbedderSettings.fromConfig(config));
  }
}
