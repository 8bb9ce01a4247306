package dev.synque.monitor.stream;

import dev.synque.monitor.avro.LensResult;
import java.time.Instant;

/**
 * Which of two {@link LensResult}s of one generator is newer. The LENS worker is at-least-once and
 * may answer requests out of order (a retried request, a redelivered result), so the join must not
 * keep whatever arrived last. Results are ordered by the request they answer: its {@code
 * requestedAt} (copied into the result), then its {@code samplesSeen}. A result whose request is
 * not newer than the joined one's (the same request again, or an older one) is ignored. A result
 * without {@code requestedAt} (from a worker before the field) is taken in arrival order, as
 * before.
 */
final class LensOrder {

  private LensOrder() {}

  /**
   * @param incoming the result just read, never null
   * @param joined the result joined so far, or null
   * @return whether {@code incoming} should replace {@code joined}
   */
  static boolean replaces(LensResult incoming, LensResult joined) {
    if (joined == null) {
      return true;
    }
    Instant in = incoming.getRequestedAt();
    Instant old = joined.getRequestedAt();
    if (in == null || old == null) {
      return true;
    }
    int byTime = in.compareTo(old);
    return byTime > 0 || (byTime == 0 && incoming.getSamplesSeen() > joined.getSamplesSeen());
  }
}
