package dev.synque.monitor.lens;

import java.util.Objects;

/**
 * One example shown to or judged by the LLM.
 *
 * @param sampleId id of the sample, unique within its set; never null
 * @param text the text; never null
 */
public record LensExample(String sampleId, String text) {

  public LensExample {
    Objects.requireNonNull(sampleId, "sampleId");
    Objects.requireNonNull(text, "text");
  }
}
