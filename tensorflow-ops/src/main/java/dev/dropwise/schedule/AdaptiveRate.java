package dev.dropwise.schedule;

import dev.dropwise.ops.StandardDropoutRate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adaptive dropout by depth and epoch (seed 001, Eq. 1): {@code r = r0 · (1 − α·(d/D)^θ_depth) ·
 * T(e/E)}.
 *
 * <p>As written, {@code T = (e/E)^θ_epoch}: the rate is 0 in the first epoch and grows towards its
 * maximum. The prose beside the equation says the opposite — "early in training the dropout rate is
 * closer to r0" — which {@code T = (1 − e/E)^θ_epoch} gives. dropwise offers both: {@link
 * Reading#AS_WRITTEN} and {@link Reading#PROSE}; the prose reading is the default, because it is
 * what the authors describe and it does not leave the first epoch without dropout.
 */
public record AdaptiveRate(
    double r0, double alpha, double thetaDepth, double thetaEpoch, Reading reading)
    implements RateSchedule {

  /** Which of Eq. 1's two readings. */
  public enum Reading {
    /** T = (1 - e/E)^θe, as Eq. 1's prose describes it: starts near r0. */
    PROSE,
    /** T = (e/E)^θe, as Eq. 1 is printed: 0 in the first epoch. */
    AS_WRITTEN
  }

  /** Refuses a base rate outside [0, 1), alpha outside [0, 1] or an exponent ≤ 0. */
  public AdaptiveRate {
    StandardDropoutRate.check("r0", r0);
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException(
          "adaptive alpha=" + alpha + " is not allowed: must be in [0, 1]");
    }
    if (!(thetaDepth > 0) || !(thetaEpoch > 0)) {
      throw new IllegalArgumentException(
          "adaptive exponents must be > 0: thetaDepth="
              + thetaDepth
              + ", thetaEpoch="
              + thetaEpoch);
    }
  }

  @Override
  public double rate(ScheduleContext c) {
    return rate(c, alpha);
  }

  /** Eq. 1 with a given α (for {@link DynamicAlphaRate}). */
  double rate(ScheduleContext c, double a) {
    double depth = 1 - a * Math.pow((double) c.depth() / c.maxDepth(), thetaDepth);
    double time =
        reading == Reading.AS_WRITTEN
            ? Math.pow(c.progress(), thetaEpoch)
            : Math.pow(1 - c.progress(), thetaEpoch);
    return RateSchedule.clamp(r0 * depth * time, 0.99);
  }

  @Override
  public String name() {
    return "adaptive";
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("r0", r0);
    out.put("alpha", alpha);
    out.put("thetadepth", thetaDepth);
    out.put("thetaepoch", thetaEpoch);
    out.put("reading", reading == Reading.PROSE ? "prose" : "written");
    return out;
  }
}
