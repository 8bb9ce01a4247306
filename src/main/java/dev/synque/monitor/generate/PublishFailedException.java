package dev.synque.monitor.generate;

/**
 * Records a {@link SamplePublisher} sent were not written: the producer gave up on them after its
 * retries. The message names the topic, how many and the first error.
 */
public final class PublishFailedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  PublishFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
