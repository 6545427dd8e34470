package dev.dropwise.dsl

import dev.dropwise.importance.ImportanceSpec
import dev.dropwise.importance.LrpRule
import dev.dropwise.importance.Target

// LRP rules and importance measures, their defaults the core's (ImportanceMeasures).

fun lrpEpsilon(epsilon: Double = ImportanceSpec.DEFAULT_EPSILON.toDouble()): LrpRule =
  LrpRule.Epsilon(epsilon.toFloat())

val lrpZPlus: LrpRule
  get() = LrpRule.ZPlus()

fun lrpAlphaBeta(alpha: Double = 1.0, beta: Double = 0.0): LrpRule =
  LrpRule.AlphaBeta(alpha.toFloat(), beta.toFloat())

fun lrpGamma(
  gamma: Double = ImportanceSpec.DEFAULT_GAMMA.toDouble(),
  epsilon: Double = ImportanceSpec.DEFAULT_EPSILON.toDouble(),
): LrpRule = LrpRule.Gamma(gamma.toFloat(), epsilon.toFloat())

fun lrp(rule: LrpRule = lrpEpsilon(), target: Target = Target.PREDICTED): ImportanceSpec =
  ImportanceSpec.Lrp(rule, target)

fun gradient(target: Target = Target.PREDICTED): ImportanceSpec =
  ImportanceSpec.Gradient(false, target)

fun gradientTimesActivation(target: Target = Target.PREDICTED): ImportanceSpec =
  ImportanceSpec.Gradient(true, target)

fun conductance(
  steps: Int = (ImportanceSpec.parse("conductance") as ImportanceSpec.Conductance).steps(),
  target: Target = Target.PREDICTED,
  factoredPath: Boolean = false,
): ImportanceSpec = ImportanceSpec.Conductance(steps, target, factoredPath)

val activationMagnitude: ImportanceSpec
  get() = ImportanceSpec.ActivationMagnitude()

fun internalInfluence(
  steps: Int =
    (ImportanceSpec.parse("internal-influence") as ImportanceSpec.InternalInfluence).steps(),
  target: Target = Target.PREDICTED,
): ImportanceSpec = ImportanceSpec.InternalInfluence(steps, target)

fun gradCam(target: Target = Target.PREDICTED): ImportanceSpec = ImportanceSpec.GradCam(target)
