package dev.synque.monitor.cli;

/**
 * The Kafka cluster did not answer an administrative request in time, or refused it (an
 * authorisation error, for example). The command line prints its message in one line, exit code 1.
 */
final class ClusterUnavailableException extends RuntimeException {

  ClusterUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
