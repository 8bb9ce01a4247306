package dev.synque.monitor.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * How the monitor talks to the LENS worker: when it asks for LENS scores and where the answers come
 * back. Off by default, because LENS needs an LLM endpoint (the worker's configuration).
 *
 * @param enabled whether LENS requests are emitted and LENS results joined
 * @param requestsTopic output topic of {@code LensRequest}s, keyed by generator id
 * @param resultsTopic input topic of {@code LensResult}s, keyed by generator id
 * @param everySamples request after this many new samples of a generator's LENS view; 0 disables
 * @param everyInterval also request when this much wall-clock time has passed since the last
 *     request and the view has new samples; zero disables
 * @param onDrift request immediately for the drifted window when a {@code QUALITY_DEGRADED} alert
 *     is raised
 * @param syntheticExamples synthetic texts per request (the first slots of the window's reservoir,
 *     so that consecutive requests share their rubric sample), at least 1
 * @param referenceExamples real texts per request (the reference's first samples by id), at least 1
 */
public record LensLink(
    boolean enabled,
    String requestsTopic,
    String resultsTopic,
    int everySamples,
    Duration everyInterval,
    boolean onDrift,
    int syntheticExamples,
    int referenceExamples) {

  /** The proxy name of the joined LENS score in scores and rankings. */
  public static final String PROXY = "lens";

  public LensLink {
    Objects.requireNonNull(requestsTopic, "requestsTopic");
    Objects.requireNonNull(resultsTopic, "resultsTopic");
    Objects.requireNonNull(everyInterval, "everyInterval");
  }
}
