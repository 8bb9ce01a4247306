package dev.synque.monitor.contracts;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import java.util.List;

/**
 * Every topic of SynQuE Monitor with its value record. Keys are plain UTF-8 strings (generator id,
 * or reference set and sample id), so they are readable in any tool and partition by generator.
 */
public final class Contracts {

  public static final Contract SYNTHETIC_SAMPLES =
      new Contract(
          "synque-synthetic-samples-v1",
          SyntheticSample.class,
          false,
          "samples published by generators, keyed by generator id");
  public static final Contract REFERENCE_SAMPLES =
      new Contract(
          "synque-reference-samples-v1",
          ReferenceSample.class,
          true,
          "the unlabelled real reference set, keyed by reference set and sample id");
  public static final Contract QUALITY_SCORES =
      new Contract(
          "synque-quality-scores-v1",
          QualityScores.class,
          false,
          "every proxy of a generator for a window, keyed by generator id");
  public static final Contract RANKINGS =
      new Contract(
          "synque-rankings-v1",
          RankingUpdate.class,
          false,
          "ranking of all generators, keyed by reference version");
  public static final Contract DRIFT_ALERTS =
      new Contract(
          "synque-drift-alerts-v1",
          DriftAlert.class,
          false,
          "quality drift and leader changes, keyed by generator id");
  public static final Contract LENS_REQUESTS =
      new Contract(
          "synque-lens-requests-v1",
          LensRequest.class,
          false,
          "work for the LENS worker, keyed by generator id");
  public static final Contract LENS_RESULTS =
      new Contract(
          "synque-lens-results-v1",
          LensResult.class,
          false,
          "LLM-judge scores, keyed by generator id");
  public static final Contract DEAD_LETTERS =
      new Contract(
          "synque-dead-letters-v1",
          DeadLetter.class,
          false,
          "records that could not be processed, with the reason and source coordinates");

  /** All contracts, inputs first. */
  public static final List<Contract> ALL =
      List.of(
          SYNTHETIC_SAMPLES,
          REFERENCE_SAMPLES,
          QUALITY_SCORES,
          RANKINGS,
          DRIFT_ALERTS,
          LENS_REQUESTS,
          LENS_RESULTS,
          DEAD_LETTERS);

  private Contracts() {}
}
