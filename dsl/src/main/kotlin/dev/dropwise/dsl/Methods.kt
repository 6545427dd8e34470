package dev.dropwise.dsl

import dev.dropwise.dropout.AlphaDropout
import dev.dropwise.dropout.DropBlock
import dev.dropwise.dropout.DropConnect
import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.dropout.LrpGuidedDropout
import dev.dropwise.dropout.NoDropout
import dev.dropwise.dropout.PfidDropout
import dev.dropwise.dropout.ScheduledDropout
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
import dev.dropwise.schedule.AdaptiveRate
import dev.dropwise.schedule.AnnealedRate
import dev.dropwise.schedule.ConstantRate
import dev.dropwise.schedule.ContextualRate
import dev.dropwise.schedule.CurriculumRate
import dev.dropwise.schedule.DynamicAlphaRate
import dev.dropwise.schedule.IntegratedRate
import dev.dropwise.schedule.RateSchedule

// Dropout methods, with the seeds' defaults as named arguments. Each builds the core's own
// spec, so values are checked (and refused with the core's messages) where they are written.

/** No dropout. */
val none: DropoutSpec get() = NoDropout()

/** Bernoulli dropout with inverted scaling 1/(1-p). */
fun standard(p: Double = 0.5): DropoutSpec = StandardDropout(p)

/** Sector-wise dropout (seed 000): exactly round(p*n) of every n units dropped. */
fun sectorWise(n: Int = 8, p: Double = 0.5, perBatch: Boolean = false): DropoutSpec = SectorWiseDropout(n, p, perBatch)

/** LRP-guided dropout's selections; see [LrpGuidedDropout]. */
enum class Selection { RANK, TOP, LOW, SAMPLE }

/**
 * LRP-guided dropout as dropwise ships it: per-unit rates that rise with relevance rank, mean p.
 * [lrpOfficial] is the official code's top-k configuration.
 */
fun lrpGuided(
    p: Double = 0.35,
    rule: LrpRule = lrpEpsilon(),
    select: Selection = Selection.RANK,
    bias: Double = if (select == Selection.RANK) 0.5 else 0.0,
    perExample: Boolean = false,
    afterUpdate: Boolean = !perExample,
    tau: Double = 1.0,
    emaScale: Boolean = select == Selection.SAMPLE,
    alpha: Double = 0.01,
    examples: Int = 8,
    target: Target = Target.PREDICTED,
): DropoutSpec = LrpGuidedDropout(
    p, ImportanceSpec.Lrp(rule, target), LrpGuidedDropout.Selection.valueOf(select.name), perExample, afterUpdate,
    tau.toFloat(), if (emaScale) LrpGuidedDropout.Scale.EMA else LrpGuidedDropout.Scale.UNIFORM, alpha.toFloat(),
    examples, bias.toFloat(),
)

/** The official LRP-guided configuration: the top p of units by batch-mean |LRP-ε|, after the update. */
fun lrpOfficial(p: Double = 0.5): DropoutSpec = LrpGuidedDropout.official(p)

/** Y-Drop (seed 002) with Table 1's defaults. */
fun yDrop(
    alpha: Double = 0.01,
    annealEpochs: Int = 1,
    steps: Int = 5,
    strongShare: Double = 0.5,
    muLow: Double = 0.1,
    muHigh: Double = 0.6,
    sigma: Double = 0.05,
    p0: Double = 0.35,
    maxLow: Double = 0.25,
    maxHigh: Double = 0.75,
    target: Target = Target.PREDICTED,
): DropoutSpec = YDrop(
    alpha.toFloat(), annealEpochs, steps, strongShare.toFloat(), muLow.toFloat(), muHigh.toFloat(),
    sigma.toFloat(), p0.toFloat(), maxLow.toFloat(), maxHigh.toFloat(), target,
)

/** PFID (seed 001) as dropwise ships it: the lemma's rates rescaled to a mean of [mean]. */
fun pfid(
    alpha: Double = 0.5,
    importance: ImportanceSpec = gradient(),
    form: PfidDropout.Form = PfidDropout.Form.LINEAR,
    r0: Double = 0.5,
    lambda: Double = 1.0,
    kappa: Double = 1.0,
    theta: Double = 1.0,
    perEpoch: Boolean = false,
    mean: Double = if (form == PfidDropout.Form.COMPOUNDED) 0.0 else 0.5,
    max: Double = 0.9,
    examples: Int = 8,
): DropoutSpec = PfidDropout(
    alpha.toFloat(), importance, form, r0.toFloat(), lambda.toFloat(), kappa.toFloat(), theta.toFloat(),
    perEpoch, mean.toFloat(), max.toFloat(), examples,
)

/** PFID's rates exactly as the lemma writes them (no calibration, no cap). */
fun pfidPaper(alpha: Double = 0.5, importance: ImportanceSpec = gradient()): DropoutSpec =
    pfid(alpha = alpha, importance = importance, mean = 0.0, max = 1.0, examples = Int.MAX_VALUE)

/** Any method from its text, as the command line writes it: `dropout("ydrop:alpha=0.01,K=2")`. */
fun method(text: String): DropoutSpec = DropoutSpec.parse(text)

// LRP rules and importance measures.

fun lrpEpsilon(epsilon: Double = 1e-6): LrpRule = LrpRule.Epsilon(epsilon.toFloat())
val lrpZPlus: LrpRule get() = LrpRule.ZPlus()
fun lrpAlphaBeta(alpha: Double = 1.0, beta: Double = 0.0): LrpRule = LrpRule.AlphaBeta(alpha.toFloat(), beta.toFloat())
fun lrpGamma(gamma: Double = 0.25, epsilon: Double = 1e-6): LrpRule = LrpRule.Gamma(gamma.toFloat(), epsilon.toFloat())

fun lrp(rule: LrpRule = lrpEpsilon(), target: Target = Target.PREDICTED): ImportanceSpec = ImportanceSpec.Lrp(rule, target)
fun gradient(target: Target = Target.PREDICTED): ImportanceSpec = ImportanceSpec.Gradient(false, target)
fun gradientTimesActivation(target: Target = Target.PREDICTED): ImportanceSpec = ImportanceSpec.Gradient(true, target)
fun conductance(steps: Int = 5, target: Target = Target.PREDICTED): ImportanceSpec = ImportanceSpec.Conductance(steps, target)
val activationMagnitude: ImportanceSpec get() = ImportanceSpec.ActivationMagnitude()

// Activations and initialisers under their usual names.

val relu: Activation get() = Activation.RELU
val tanh: Activation get() = Activation.TANH
val selu: Activation get() = Activation.SELU
val linear: Activation get() = Activation.LINEAR

val glorotUniform: Initializer get() = Initializer.GLOROT_UNIFORM
val glorotNormal: Initializer get() = Initializer.GLOROT_NORMAL
val heUniform: Initializer get() = Initializer.HE_UNIFORM
val heNormal: Initializer get() = Initializer.HE_NORMAL

// Rate schedules (seed 001 and friends): `dropout(scheduled(adaptive(r0 = 0.5)))`.

/** Standard dropout at the rate [schedule] sets for each epoch (fed every step; recorded in the history). */
fun scheduled(schedule: RateSchedule): DropoutSpec = ScheduledDropout(schedule)

fun constantRate(r: Double = 0.5): RateSchedule = ConstantRate(r)

/** Eq. 1; [asWritten] selects the formula as printed (0 in the first epoch) over the prose's reading. */
fun adaptive(r0: Double = 0.5, alpha: Double = 0.5, thetaDepth: Double = 1.0, thetaEpoch: Double = 1.0, asWritten: Boolean = false) =
    AdaptiveRate(r0, alpha, thetaDepth, thetaEpoch, if (asWritten) AdaptiveRate.Reading.AS_WRITTEN else AdaptiveRate.Reading.PROSE)

/** Eq. 2: adaptive dropout whose α is the sigmoid of the validation loss. */
fun dynamicAlpha(adaptive: AdaptiveRate = adaptive(), delta: Double = 5.0, lambda: Double = 0.4): RateSchedule =
    DynamicAlphaRate(adaptive, delta, lambda)

/** Eq. 9–11. */
fun contextual(r0: Double = 0.5, theta: Double = 5.0, phi: Double = 1.0, psi: Double = 1.0, tMid: Double? = null): RateSchedule =
    ContextualRate(r0, theta, phi, psi, tMid)

fun annealed(start: Double = 0.5, end: Double = 0.1, epochs: Int = 5): RateSchedule = AnnealedRate(start, end, epochs)

fun curriculum(r: Double = 0.5, gamma: Double = 1.0): RateSchedule = CurriculumRate(r, gamma)

/** Eq. 15: the efficacy-weighted mean of several schedules. */
fun integrated(vararg schedules: RateSchedule, eta: Double = 5.0): RateSchedule =
    IntegratedRate(if (schedules.isEmpty()) listOf(adaptive(), contextual(), curriculum()) else schedules.toList(), eta)

/** Alpha dropout for SELU networks: dropped units go to SELU's saturation, mean and variance kept. */
fun alphaDropout(p: Double = 0.1): DropoutSpec = AlphaDropout(p)

/** DropConnect: placed after a layer, drops connections of the next Dense layer (one mask per step). */
fun dropConnect(p: Double = 0.5): DropoutSpec = DropConnect(p)

/** SpatialDropout: whole channels of a feature map dropped with probability [p]. */
fun spatial(p: Double = 0.1): DropoutSpec = SpatialDropout(p)

/** DropBlock: [block] x [block] squares of a feature map; the keep probability falls to 1 - [p] over the first [ramp] of training. */
fun dropBlock(p: Double = 0.1, block: Int = 3, ramp: Double = 0.0): DropoutSpec = DropBlock(p, block, ramp)

/** Spatially aware dropout (Eq. 7-8): drops [p] of the positions, never the [protect] most prominent, prominence smoothed over [window]. */
fun spatiallyAware(p: Double = 0.1, protect: Double = 0.5, window: Int = 3): DropoutSpec =
    SpatiallyAwareDropout(p, protect, window)
