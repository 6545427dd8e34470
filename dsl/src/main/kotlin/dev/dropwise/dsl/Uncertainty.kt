package dev.dropwise.dsl

import dev.dropwise.analysis.UncertaintyEvaluation
import dev.dropwise.data.ClassificationData
import dev.dropwise.data.Dataset
import dev.dropwise.export.ServingModel
import java.nio.file.Path

/**
 * How trustworthy the uncertainty of the model exported at [dir] is on the first [limit] test
 * examples of [data] (the data it was trained on, read again unscaled, since the export scales its
 * raw inputs): `serving_default` and Monte Carlo dropout with [samples] passes side by side —
 * accuracy, NLL, Brier, ECE, adaptive ECE, AURC — and, with [ood] (examples from outside the
 * training distribution, raw as the export takes them), how well each uncertainty score detects
 * them. The Monte Carlo row is left out where the export has no `mc_dropout` signature. Draw the
 * results with [Charts.reliability] and [Charts.riskCoverage].
 */
fun uncertainty(
  dir: String,
  data: ClassificationData,
  ood: Dataset? = null,
  samples: Int = 50,
  limit: Int = 10_000,
): List<UncertaintyEvaluation.Result> {
  ServingModel.checkSamples(samples)
  require(limit >= 1) { "limit=$limit is not allowed: must be >= 1" }
  return ServingModel.load(Path.of(dir)).use { model ->
    UncertaintyEvaluation.evaluate(
      model,
      data.unscaledTest().head(limit),
      ood?.head(limit),
      if (model.hasMonteCarlo()) samples else 0,
    ) {}
  }
}
