package dev.dropwise.dsl

import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.dropout.StandardDropout
import dev.dropwise.schedule.AdaptiveRate
import dev.dropwise.schedule.AnnealedRate
import dev.dropwise.schedule.ConstantRate
import dev.dropwise.schedule.ContextualRate
import dev.dropwise.schedule.CurriculumRate
import dev.dropwise.schedule.DynamicAlphaRate
import dev.dropwise.schedule.IntegratedRate
import dev.dropwise.schedule.RateSchedule
import dev.dropwise.schedule.RateSchedules

// Rate schedules (seed 001 and friends): `dropout(scheduled(adaptive(r0 = 0.5)))`.

/** The same as [standard] with a schedule: `scheduled(adaptive())`, as `scheduled:` writes it. */
fun scheduled(schedule: RateSchedule): DropoutSpec = StandardDropout(schedule)

fun constantRate(r: Double = defaults<ConstantRate>("constant").rate()): RateSchedule =
  ConstantRate(r)

/**
 * Eq. 1; [asWritten] selects the formula as printed (0 in the first epoch) over the prose's
 * reading.
 */
fun adaptive(
  r0: Double = defaults<AdaptiveRate>("adaptive").r0(),
  alpha: Double = defaults<AdaptiveRate>("adaptive").alpha(),
  thetaDepth: Double = defaults<AdaptiveRate>("adaptive").thetaDepth(),
  thetaEpoch: Double = defaults<AdaptiveRate>("adaptive").thetaEpoch(),
  asWritten: Boolean =
    defaults<AdaptiveRate>("adaptive").reading() == AdaptiveRate.Reading.AS_WRITTEN,
) =
  AdaptiveRate(
    r0,
    alpha,
    thetaDepth,
    thetaEpoch,
    if (asWritten) AdaptiveRate.Reading.AS_WRITTEN else AdaptiveRate.Reading.PROSE,
  )

/** Eq. 2: adaptive dropout whose α is the sigmoid of the validation loss. */
fun dynamicAlpha(
  adaptive: AdaptiveRate = adaptive(),
  delta: Double = defaults<DynamicAlphaRate>("dynamic-alpha").delta(),
  lambda: Double = defaults<DynamicAlphaRate>("dynamic-alpha").lambda(),
): RateSchedule = DynamicAlphaRate(adaptive, delta, lambda)

/** Eq. 9–11. */
fun contextual(
  r0: Double = defaults<ContextualRate>("contextual").r0(),
  theta: Double = defaults<ContextualRate>("contextual").theta(),
  phi: Double = defaults<ContextualRate>("contextual").phi(),
  psi: Double = defaults<ContextualRate>("contextual").psi(),
  tMid: Double? = defaults<ContextualRate>("contextual").tMid(),
): RateSchedule = ContextualRate(r0, theta, phi, psi, tMid)

fun annealed(
  start: Double = defaults<AnnealedRate>("annealed").start(),
  end: Double = defaults<AnnealedRate>("annealed").end(),
  epochs: Int = defaults<AnnealedRate>("annealed").epochs(),
): RateSchedule = AnnealedRate(start, end, epochs)

fun curriculum(
  r: Double = defaults<CurriculumRate>("curriculum").r(),
  gamma: Double = defaults<CurriculumRate>("curriculum").gamma(),
): RateSchedule = CurriculumRate(r, gamma)

/**
 * Eq. 15: the efficacy-weighted mean of several schedules (by default the command line's parts and
 * eta).
 */
fun integrated(
  vararg schedules: RateSchedule,
  eta: Double = defaults<IntegratedRate>("integrated").eta(),
): RateSchedule =
  IntegratedRate(
    if (schedules.isEmpty()) defaults<IntegratedRate>("integrated").schedules()
    else schedules.toList(),
    eta,
  )

/** Schedule [name] with the core's defaults ([RateSchedules]), to read them from. */
private inline fun <reified T : RateSchedule> defaults(name: String): T =
  RateSchedules.defaults(name) as T
