package dev.dropwise.schedule;

import dev.dropwise.ops.StandardDropoutRate;
import java.util.Map;

/**
 * Curriculum dropout (Morerio et al., 2017): the keep probability decays from 1 to {@code 1 − r} as
 * {@code θ(t) = (1 − θ̄)·exp(−γ·t) + θ̄}, t the epoch; the rate {@code 1 − θ(t) = r·(1 −
 * exp(−γ·t))} starts at 0 and rises towards {@code r}.
 */
public record CurriculumRate(double r, double gamma) implements RateSchedule {
  /** Refuses a rate outside [0, 1) or gamma ≤ 0. */
  public CurriculumRate {
    StandardDropoutRate.check("r", r);
    if (!(gamma > 0)) {
      throw new IllegalArgumentException(
          "curriculum gamma=" + gamma + " is not allowed: must be > 0");
    }
  }

  @Override
  public double rate(ScheduleContext c) {
    return r * (1 - Math.exp(-gamma * c.epoch()));
  }

  @Override
  public String name() {
    return "curriculum";
  }

  @Override
  public Map<String, Object> settings() {
    return Map.of("r", r, "gamma", gamma);
  }
}
