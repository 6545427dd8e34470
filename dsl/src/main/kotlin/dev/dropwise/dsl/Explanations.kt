package dev.dropwise.dsl

import dev.dropwise.analysis.ExplainedClass
import dev.dropwise.analysis.FaithfulnessEvaluation
import dev.dropwise.analysis.InputExplainer
import dev.dropwise.analysis.RelevanceMaps
import dev.dropwise.analysis.UnitFlipping
import dev.dropwise.data.Dataset
import dev.dropwise.importance.ImportanceSpec
import dev.dropwise.importance.InputAttribution
import dev.dropwise.importance.InputAttributions

// Input attributions, each a text the core's registry reads: a setting left null is at the
// registry's default (InputAttributions), which the DSL does not repeat.

private fun attribution(name: String, vararg settings: Pair<String, Any?>): InputAttribution {
  val written =
    settings.filter { it.second != null }.joinToString(",") { "${it.first}=${it.second}" }
  return InputAttributions.parse(if (written.isEmpty()) name else "$name:$written")
}

/**
 * LRP to the input with a zennit composite ([composite], e.g. `epsilon-plus-flat`), any of its
 * rules replaced: [dense] and [conv] take `eps`, `zplus`, `alpha1beta0`, `alpha2beta1`, `gamma`;
 * [first] also `zbox` or `flat`.
 */
fun lrpToInput(
  composite: String? = null,
  dense: String? = null,
  conv: String? = null,
  first: String? = null,
  epsilon: Double? = null,
  gamma: Double? = null,
): InputAttribution =
  attribution(
    "lrp",
    "composite" to composite,
    "dense" to dense,
    "conv" to conv,
    "first" to first,
    "epsilon" to epsilon,
    "gamma" to gamma,
  )

/** The gradient of the explained logit by each input (signed). */
val inputGradient: InputAttribution
  get() = attribution("gradient")

/** The gradient times the input. */
val gradientTimesInput: InputAttribution
  get() = attribution("gradient-x-input")

/** Integrated gradients from the baseline, over [steps] points (midpoint rule). */
fun integratedGradients(steps: Int? = null): InputAttribution =
  attribution("integrated-gradients", "steps" to steps)

/** SmoothGrad: the gradient averaged over [samples] noisy copies of each input. */
fun smoothGrad(samples: Int? = null, noise: Double? = null, seed: Int? = null): InputAttribution =
  attribution("smoothgrad", "samples" to samples, "noise" to noise, "seed" to seed)

/**
 * The relevance of every input feature of the first [limit] examples of [data] (scaled as the run
 * trained) by [attribution], for [target]: `predicted` (each example's predicted class), `label`,
 * or a class's name or index; ready for [Charts.inputRelevance].
 */
fun Run.inputRelevance(
  attribution: InputAttribution,
  data: Dataset,
  limit: Int = 8,
  target: String = "predicted",
): RelevanceMaps {
  require(limit >= 1) { "limit=$limit is not allowed: must be >= 1" }
  val explained = ExplainedClass.parse("target", target, classNames, classNames.size)
  val examples = data.head(limit)
  val values = session.variableValues()
  val relevance =
    InputExplainer.explain(model.spec, { values[it] }, attribution, inputSpace, examples, explained)
  val explainedClasses = InputExplainer.classes(model.spec, { values[it] }, examples, explained)
  val captions = InputExplainer.captions(examples.labels(), explainedClasses, classNames)
  return RelevanceMaps(attribution.text(), shape, examples.features(), relevance, captions)
}

/**
 * How faithful each of [attributions] is to this run's model on the first [limit] examples of
 * [data]: pixel-flipping curves over [steps] steps (most and least relevant first, a random ranking
 * beside them) and the model-randomisation cascade; for [Charts.faithfulness] and
 * [Charts.randomisation].
 */
fun Run.faithfulness(
  attributions: List<InputAttribution>,
  data: Dataset,
  limit: Int = 200,
  steps: Int = 20,
  seed: Long = 1,
): List<FaithfulnessEvaluation.Result> {
  require(limit >= 1) { "limit=$limit is not allowed: must be >= 1" }
  val values = session.variableValues()
  return FaithfulnessEvaluation.evaluate(
    model.spec,
    { values[it] },
    attributions,
    inputSpace,
    data.head(limit),
    steps,
    seed,
  )
}

/**
 * Unit flipping: test accuracy on the first [limit] examples of [data] while each hidden layer's
 * units are removed, ranked by each of [measures] (most and least important first) and at random;
 * for [Charts.unitFlipping].
 */
fun Run.unitFlipping(
  measures: List<ImportanceSpec>,
  data: Dataset,
  limit: Int = 1000,
  seed: Long = 1,
): List<UnitFlipping.Result> {
  require(limit >= 1) { "limit=$limit is not allowed: must be >= 1" }
  val values = session.variableValues()
  return UnitFlipping.evaluate(model.spec, { values[it] }, measures, data.head(limit), seed)
}
