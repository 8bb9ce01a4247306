package dev.synque.monitor.evaluate;

import dev.synque.monitor.core.BootstrapInterval;

/**
 * One row of {@code summary.csv}: how well one proxy predicts downstream performance in one group
 * (or {@code ALL}, the mean over groups).
 *
 * @param group group name, or {@link EvaluationSummary#ALL}
 * @param proxy proxy name
 * @param higherIsBetter the proxy's orientation
 * @param spearman Spearman correlation of raw values with performance across datasets, mean over
 *     seeds (then over groups); NaN when undefined for every seed
 * @param pearson the same with Pearson
 * @param top3 mean performance of the three datasets the proxy ranks best, mean over seeds (then
 *     groups)
 * @param meanAll mean performance of all datasets (the "pick at random" baseline)
 * @param oracleTop3 mean performance of the truly best three (the ceiling)
 * @param spearmanInterval bootstrap interval of {@code spearman} over datasets
 * @param pearsonInterval bootstrap interval of {@code pearson} over datasets
 */
public record SummaryRow(
    String group,
    String proxy,
    boolean higherIsBetter,
    double spearman,
    double pearson,
    double top3,
    double meanAll,
    double oracleTop3,
    BootstrapInterval spearmanInterval,
    BootstrapInterval pearsonInterval) {}
