package dev.synque.monitor.chat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The retry waits of the project's HTTP clients (the LENS chat client and the embeddings client):
 * exponential backoff with jitter, or the server's {@code Retry-After}, capped. One rule for both,
 * so a fix to either reaches both.
 */
public final class RetryBackoff {

  private RetryBackoff() {}

  /**
   * The wait before retry number {@code attempt} (1 for the first retry): the server's {@code
   * retryAfter} when given, else full jitter in {@code [ceiling / 2, ceiling]} with {@code ceiling
   * = min(max, base · 2^(attempt − 1))}, so many clients do not retry in step; never above {@code
   * max}, never negative.
   */
  public static Duration wait(int attempt, Duration base, Duration max, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter.compareTo(max) > 0 ? max : retryAfter;
    }
    long ceiling = Math.min(max.toMillis(), base.toMillis() * (1L << Math.min(20, attempt - 1)));
    return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
  }

  /**
   * The response's {@code Retry-After} (seconds or an HTTP date), at least zero: a negative or NaN
   * number, or a date in the past, is the server's mistake and means "retry now"; an absurdly large
   * one is left for {@link #wait} to cap. Empty when the header is absent or unreadable.
   */
  public static Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("Retry-After");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String v = header.get().strip();
    try {
      double seconds = Double.parseDouble(v);
      if (!(seconds > 0)) {
        return Optional.of(Duration.ZERO);
      }
      return Optional.of(
          seconds >= Long.MAX_VALUE / 1000.0
              ? Duration.ofMillis(Long.MAX_VALUE)
              : Duration.ofMillis((long) (seconds * 1000)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException ignored) {
        return Optional.empty();
      }
    }
  }

  /**
   * Sleeps {@code d}; returns at once for zero or less.
   *
   * @throws InterruptedException with the thread's interrupt flag cleared, as {@link Thread#sleep}
   */
  public static void sleep(Duration d) throws InterruptedException {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
  }
}
