package dev.dropwise.dsl

import dev.dropwise.dropout.AlphaDropout
import dev.dropwise.dropout.ConcreteDropout
import dev.dropwise.dropout.DropBlock
import dev.dropwise.dropout.DropConnect
import dev.dropwise.dropout.DropoutMethods
import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.dropout.GaussianDropout
import dev.dropwise.dropout.LrpGuidedDropout
import dev.dropwise.dropout.NoDropout
import dev.dropwise.dropout.PfidDropout
import dev.dropwise.dropout.SectorWiseDropout
import dev.dropwise.dropout.SpatialDropout
import dev.dropwise.dropout.SpatiallyAwareDropout
import dev.dropwise.dropout.StandardDropout
import dev.dropwise.dropout.YDrop
import dev.dropwise.importance.ImportanceSpec
import dev.dropwise.importance.LrpRule
import dev.dropwise.importance.Target
import dev.dropwise.network.Activation
import dev.dropwise.network.Initializer
import dev.dropwise.schedule.RateSchedule
import dev.dropwise.util.Settings

// Dropout methods as named arguments. Each builds the core's own spec, so values are checked (and
// refused with the core's messages) where they are written; the defaults are the registry's
// (DropoutMethods), the same the command line uses, never written here again.

/**
 * The default of [setting] of dropout method [method], as the registry declares it, where the
 * [others] are set as given (some defaults follow other settings: LRP-guided's timing its mode).
 */
private fun default(method: String, setting: String, vararg others: Pair<String, String>): String {
  val parameters = DropoutMethods.find(method).orElseThrow().parameters()
  val given = Settings.of(mapOf(*others), method).bind(parameters)
  return parameters.first { it.name() == setting }.defaultIn(given)
}

private fun defaultDouble(method: String, setting: String, vararg others: Pair<String, String>) =
  default(method, setting, *others).toDouble()

private fun defaultInt(method: String, setting: String): Int = default(method, setting).toInt()

/** `examples=N`, or `examples=all`: the whole batch. */
private fun defaultExamples(method: String): Int =
  default(method, "examples").let { if (it == "all") Int.MAX_VALUE else it.toInt() }

private fun Enum<*>.text() = name.lowercase()

/** No dropout. */
val none: DropoutSpec
  get() = NoDropout()

/** Bernoulli dropout with inverted scaling 1/(1-p). */
fun standard(p: Double = defaultDouble("standard", "p")): DropoutSpec = StandardDropout(p)

/**
 * Standard dropout at the rate [rate] sets for each epoch, `standard(adaptive(r0 = 0.3))` (fed
 * every step; recorded in the history).
 */
fun standard(rate: RateSchedule): DropoutSpec = StandardDropout(rate)

/** Sector-wise dropout (seed 000): exactly round(p*n) of every n units dropped. */
fun sectorWise(
  n: Int = defaultInt("sector", "n"),
  p: Double = defaultDouble("sector", "p"),
  perBatch: Boolean = false,
): DropoutSpec = SectorWiseDropout(n, p, perBatch)

/**
 * Sector-wise dropout at the share [rate] sets for each epoch, `sectorWise(rate = curriculum())`:
 * round(rate*n) of every n units, none while the rate rounds to 0.
 */
fun sectorWise(
  n: Int = defaultInt("sector", "n"),
  rate: RateSchedule,
  perBatch: Boolean = false,
): DropoutSpec = SectorWiseDropout(n, rate, perBatch)

/** LRP-guided dropout's selections; see [LrpGuidedDropout]. */
typealias Selection = LrpGuidedDropout.Selection

/**
 * LRP-guided dropout as dropwise ships it: per-unit rates that rise with relevance rank, mean p.
 * [lrpOfficial] is the official code's top-k configuration; [importance] another measure to rank by
 * (`conductance()`), LRP with [rule] and [target] by default.
 */
fun lrpGuided(
  p: Double = defaultDouble("lrp", "p"),
  rule: LrpRule = lrpEpsilon(),
  select: Selection = Selection.RANK,
  bias: Double = defaultDouble("lrp", "bias", "select" to select.text()),
  perExample: Boolean = false,
  afterUpdate: Boolean =
    default("lrp", "timing", "mode" to if (perExample) "example" else "batch") == "after",
  tau: Double = defaultDouble("lrp", "tau"),
  emaScale: Boolean = default("lrp", "scale", "select" to select.text()) == "ema",
  alpha: Double = defaultDouble("lrp", "alpha"),
  examples: Int = defaultExamples("lrp"),
  target: Target = Target.PREDICTED,
  importance: ImportanceSpec = lrp(rule, target),
): DropoutSpec =
  LrpGuidedDropout(
    p,
    importance,
    select,
    perExample,
    afterUpdate,
    tau.toFloat(),
    if (emaScale) LrpGuidedDropout.Scale.EMA else LrpGuidedDropout.Scale.UNIFORM,
    alpha.toFloat(),
    examples,
    bias.toFloat(),
  )

/**
 * The official LRP-guided configuration: the top p of units by batch-mean |LRP-ε|, after the
 * update.
 */
fun lrpOfficial(
  p: Double = DropoutSpec.parse("lrp-official").let { (it as LrpGuidedDropout).p() }
): DropoutSpec = LrpGuidedDropout.official(p)

/**
 * Y-Drop (seed 002) with Table 1's defaults; [importance] another measure to rank by (`lrp()`), the
 * paper's conductance of [steps] steps at [target] by default.
 */
fun yDrop(
  alpha: Double = defaultDouble("ydrop", "alpha"),
  annealEpochs: Int = defaultInt("ydrop", "k"),
  steps: Int = defaultInt("ydrop", "nc"),
  strongShare: Double = defaultDouble("ydrop", "ws"),
  muLow: Double = defaultDouble("ydrop", "mul"),
  muHigh: Double = defaultDouble("ydrop", "muh"),
  sigma: Double = defaultDouble("ydrop", "sigma"),
  p0: Double = defaultDouble("ydrop", "p0"),
  maxLow: Double = defaultDouble("ydrop", "maxl"),
  maxHigh: Double = defaultDouble("ydrop", "maxh"),
  target: Target = Target.PREDICTED,
  factoredPath: Boolean = false,
  importance: ImportanceSpec = conductance(steps, target, factoredPath),
): DropoutSpec =
  YDrop(
    alpha.toFloat(),
    annealEpochs,
    steps,
    strongShare.toFloat(),
    muLow.toFloat(),
    muHigh.toFloat(),
    sigma.toFloat(),
    p0.toFloat(),
    maxLow.toFloat(),
    maxHigh.toFloat(),
    importance,
  )

/** PFID (seed 001) as dropwise ships it: the lemma's rates rescaled to a mean of [mean]. */
fun pfid(
  alpha: Double = defaultDouble("pfid", "alpha"),
  importance: ImportanceSpec = gradient(),
  form: PfidDropout.Form = PfidDropout.Form.LINEAR,
  r0: Double = defaultDouble("pfid", "r0"),
  lambda: Double = defaultDouble("pfid", "lambda"),
  kappa: Double = defaultDouble("pfid", "kappa"),
  theta: Double = defaultDouble("pfid", "theta"),
  perEpoch: Boolean = false,
  mean: Double = defaultDouble("pfid", "mean", "form" to form.text()),
  max: Double = defaultDouble("pfid", "max"),
  examples: Int = defaultExamples("pfid"),
): DropoutSpec =
  PfidDropout(
    alpha.toFloat(),
    importance,
    form,
    r0.toFloat(),
    lambda.toFloat(),
    kappa.toFloat(),
    theta.toFloat(),
    perEpoch,
    mean.toFloat(),
    max.toFloat(),
    examples,
  )

/** PFID's rates exactly as the lemma writes them (no calibration, no cap). */
fun pfidPaper(
  alpha: Double = defaultDouble("pfid-paper", "alpha"),
  importance: ImportanceSpec = gradient(),
): DropoutSpec =
  pfid(
    alpha = alpha,
    importance = importance,
    mean = defaultDouble("pfid-paper", "mean"),
    max = defaultDouble("pfid-paper", "max"),
    examples = defaultExamples("pfid-paper"),
  )

/** Any method from its text, as the command line writes it: `dropout("ydrop:alpha=0.01,K=2")`. */
fun method(text: String): DropoutSpec = DropoutSpec.parse(text)

// Activations and initialisers under their usual names.

val relu: Activation
  get() = Activation.RELU
val tanh: Activation
  get() = Activation.TANH
val selu: Activation
  get() = Activation.SELU
val linear: Activation
  get() = Activation.LINEAR
val sigmoid: Activation
  get() = Activation.SIGMOID
val elu: Activation
  get() = Activation.ELU
val relu6: Activation
  get() = Activation.RELU6
val softplus: Activation
  get() = Activation.SOFTPLUS
val swish: Activation
  get() = Activation.SWISH

val glorotUniform: Initializer
  get() = Initializer.GLOROT_UNIFORM
val glorotNormal: Initializer
  get() = Initializer.GLOROT_NORMAL
val heUniform: Initializer
  get() = Initializer.HE_UNIFORM
val heNormal: Initializer
  get() = Initializer.HE_NORMAL

/**
 * Alpha dropout for SELU networks: dropped units go to SELU's saturation, mean and variance kept.
 */
fun alphaDropout(p: Double = defaultDouble("alpha", "p")): DropoutSpec = AlphaDropout(p)

/**
 * Gaussian dropout: every unit multiplied by noise of mean 1 and variance p/(1-p), the variance of
 * Bernoulli dropout at rate [p].
 */
fun gaussian(p: Double = defaultDouble("gaussian", "p")): DropoutSpec = GaussianDropout(p)

/** Gaussian dropout at the rate [rate] sets for each epoch. */
fun gaussian(rate: RateSchedule): DropoutSpec = GaussianDropout(rate)

/**
 * Concrete dropout (Gal, Hron and Kendall 2017): each layer's rate, starting at [p], learned
 * through a relaxed Bernoulli mask of temperature [temperature], with the regulariser's
 * coefficients [weight] (l²/(τN)) and [dropout] (2/(τN)); `run.monteCarloLayers` and an export
 * report the learned rates.
 */
fun concrete(
  p: Double = defaultDouble("concrete", "p"),
  temperature: Double = defaultDouble("concrete", "t"),
  weight: Double = defaultDouble("concrete", "weight"),
  dropout: Double = defaultDouble("concrete", "dropout"),
): DropoutSpec = ConcreteDropout(p, temperature, weight, dropout)

/**
 * DropConnect: placed after a layer, drops connections of the next Dense layer (one mask per step).
 */
fun dropConnect(p: Double = defaultDouble("dropconnect", "p")): DropoutSpec = DropConnect(p)

/** SpatialDropout: whole channels of a feature map dropped with probability [p]. */
fun spatial(p: Double = defaultDouble("spatial", "p")): DropoutSpec = SpatialDropout(p)

/**
 * DropBlock: [block] x [block] squares of a feature map; the keep probability falls to 1 - [p] over
 * the first [ramp] of training.
 */
fun dropBlock(
  p: Double = defaultDouble("dropblock", "p"),
  block: Int = defaultInt("dropblock", "block"),
  ramp: Double = defaultDouble("dropblock", "ramp"),
): DropoutSpec = DropBlock(p, block, ramp)

/** DropBlock at the rate [rate] sets for each epoch; a [ramp] scales it as it scales a fixed p. */
fun dropBlock(
  rate: RateSchedule,
  block: Int = defaultInt("dropblock", "block"),
  ramp: Double = defaultDouble("dropblock", "ramp"),
): DropoutSpec = DropBlock(0.0, block, ramp, rate)

/**
 * Spatially aware dropout (Eq. 7-8): drops [p] of the positions, never the [protect] most
 * prominent, prominence smoothed over [window].
 */
fun spatiallyAware(
  p: Double = defaultDouble("spatially-aware", "p"),
  protect: Double = defaultDouble("spatially-aware", "protect"),
  window: Int = defaultInt("spatially-aware", "window"),
): DropoutSpec = SpatiallyAwareDropout(p, protect, window)
