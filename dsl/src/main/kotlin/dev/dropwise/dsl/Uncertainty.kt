package dev.dropwise.dsl

import dev.dropwise.analysis.UncertaintyEvaluation
import dev.dropwise.data.ClassificationData
import dev.dropwise.data.Dataset
import dev.dropwise.data.Shift
import dev.dropwise.export.MonteCarlo
import dev.dropwise.export.ServingModel
import java.nio.file.Path

/**
 * How trustworthy the uncertainty of the model exported at [dir] is on the first [limit] test
 * examples of [data] (the data it was trained on, read again unscaled, since the export scales its
 * raw inputs): `serving_default` and Monte Carlo dropout with [samples] passes side by side —
 * accuracy, NLL, Brier, ECE, adaptive ECE, AURC — and, given examples from outside the training
 * distribution, how well each uncertainty score detects them: [ood] (raw as the export takes them),
 * or the test images of [oodClasses] (names or indices; by default the classes the model was
 * trained without, if any), which then leave the test set. The Monte Carlo row is left out where
 * the export has no `mc_dropout` signature. [sampling] `LIVE` draws importance-guided dropout from
 * the importance of the examples measured (an export made right after training). Draw the results
 * with [Charts.reliability] and [Charts.riskCoverage].
 */
fun uncertainty(
  dir: String,
  data: ClassificationData,
  ood: Dataset? = null,
  samples: Int = 50,
  limit: Int = 10_000,
  oodClasses: List<String>? = null,
  sampling: MonteCarlo.Sampling = MonteCarlo.Sampling.FROZEN,
): List<UncertaintyEvaluation.Result> =
  withTestSets(dir, data, ood, samples, limit, oodClasses) { model, test, outside, passes ->
    UncertaintyEvaluation.evaluate(
      model,
      test,
      outside,
      passes,
      MonteCarlo.Draw(MonteCarlo.Masks.INDEPENDENT, sampling),
    ) {}
  }

/**
 * How accuracy, NLL, Brier and ECE of the model exported at [dir] hold up as the test set of [data]
 * (as [uncertainty] takes it) is shifted by each of [shifts] at severities 1 to 5 (Ovadia et al.
 * 2019), `serving_default` and Monte Carlo dropout with [samples] passes side by side (drawn as
 * [sampling] says, as in [uncertainty]); severity 0 is the test set as it is. Draw it with
 * [Charts.underShift].
 */
fun underShift(
  dir: String,
  data: ClassificationData,
  shifts: List<Shift> = Shift.values().toList(),
  samples: Int = 50,
  limit: Int = 10_000,
  oodClasses: List<String>? = null,
  sampling: MonteCarlo.Sampling = MonteCarlo.Sampling.FROZEN,
): List<UncertaintyEvaluation.ShiftResult> {
  require(data.images()) {
    "shifts work on images, and the data's examples have the shape ${data.shape()}"
  }
  return withTestSets(dir, data, null, samples, limit, oodClasses) { model, test, _, passes ->
    val draw = MonteCarlo.Draw(MonteCarlo.Masks.INDEPENDENT, sampling)
    val unshifted = UncertaintyEvaluation.evaluate(model, test, null, passes, draw) {}
    UncertaintyEvaluation.underShifts(model, test, data.shape(), shifts, unshifted, passes, draw) {}
  }
}

/**
 * [task] on the export at [dir] with the test set of [data] and the out-of-distribution examples:
 * [ood], or the test examples of the held-out classes, which leave the test set; each cut to
 * [limit].
 */
private fun <T> withTestSets(
  dir: String,
  data: ClassificationData,
  ood: Dataset?,
  samples: Int,
  limit: Int,
  oodClasses: List<String>?,
  task: (ServingModel, Dataset, Dataset?, Int) -> T,
): T {
  ServingModel.checkSamples(samples)
  require(limit >= 1) { "limit=$limit is not allowed: must be >= 1" }
  require(ood == null || oodClasses == null) {
    "ood and oodClasses=$oodClasses: give one source of out-of-distribution examples"
  }
  return ServingModel.load(Path.of(dir)).use { model ->
    val sets =
      UncertaintyEvaluation.split(model, data.unscaledTest(), oodClasses, "oodClasses", ood != null)
    task(
      model,
      sets.known().head(limit),
      (ood ?: sets.unknown())?.head(limit),
      if (model.hasMonteCarlo()) samples else 0,
    )
  }
}
