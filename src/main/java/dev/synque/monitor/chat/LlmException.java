package dev.synque.monitor.chat;

import java.util.Objects;

/** A failed LLM call, after the adapter's retries, with what kind of failure it was. */
public final class LlmException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** No connection could be made (refused, DNS, TLS). */
    UNREACHABLE,
    /** The server did not answer within the request timeout. */
    TIMEOUT,
    /** The server answered with an error status; see {@link #status()}. */
    HTTP_STATUS,
    /** The server answered 2xx with a body that is not a chat completion. */
    MALFORMED_RESPONSE,
    /** The caller was interrupted while waiting. */
    INTERRUPTED
  }

  private final Kind kind;
  private final int status;

  /**
   * @param kind what went wrong; never null
   * @param status the HTTP status for {@link Kind#HTTP_STATUS}, otherwise 0
   * @param message the reason, with the URL and the server's message where there is one
   * @param cause the underlying exception, or null
   */
  public LlmException(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.status = status;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status for {@link Kind#HTTP_STATUS}, otherwise 0. */
  public int status() {
    return status;
  }
}
