package dev.synque.monitor.serde;

/** A schema-registry call that failed, with what kind of failure it was. */
public final class SchemaRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Kinds of failure that callers react to differently. */
  public enum Kind {
    /** No registry URL answered (connection refused, timeout, TLS failure). */
    UNREACHABLE,
    /** The schema id, subject or schema is not known to the registry. */
    NOT_FOUND,
    /** The registry refused the schema as incompatible with the subject's earlier versions. */
    INCOMPATIBLE,
    /** The registry refused the schema as invalid. */
    INVALID_SCHEMA,
    /** The registry refused the credentials (HTTP 401 or 403). */
    UNAUTHORIZED,
    /** Anything else the registry answered with an error status or an unreadable body. */
    REGISTRY_ERROR
  }

  private final Kind kind;
  private final int httpStatus;
  private final int errorCode;

  /**
   * @param kind what went wrong
   * @param httpStatus the HTTP status, or -1 when there was no answer
   * @param errorCode the registry's {@code error_code}, or -1 when it gave none
   * @param message a full sentence naming the registry and the request
   * @param cause the underlying exception, or null
   */
  public SchemaRegistryException(
      Kind kind, int httpStatus, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or -1 when the registry did not answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's {@code error_code}, or -1 when it gave none. */
  public int errorCode() {
    return errorCode;
  }

  /**
   * Whether asking again later may succeed: the registry did not answer, or answered 408, 429 or
   * 5xx. Such a failure says nothing about the record being read or written, so callers must not
   * treat the record as bad (dead-letter it) but retry once the registry is back.
   */
  public boolean isTransient() {
    return kind == Kind.UNREACHABLE
        || (kind == Kind.REGISTRY_ERROR
            && (httpStatus >= 500 || httpStatus == 408 || httpStatus == 429));
  }

  /**
   * The transient registry failure behind {@code error}, searching its causes; empty when there is
   * none.
   */
  public static java.util.Optional<SchemaRegistryException> transientCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException e && e.isTransient()) {
        return java.util.Optional.of(e);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return java.util.Optional.empty();
  }
}
