package dev.dropwise.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adaptive dropout whose α follows the validation loss (seed 001, Eq. 2): {@code α = 1 / (1 +
 * exp(−δ·(L − λ)))}, L the last validation loss, δ the sensitivity and λ the loss threshold: a loss
 * above λ pushes α (the depth reduction of Eq. 1) towards 1, below λ towards 0. Before the first
 * validation the adaptive schedule's own α is used.
 */
public record DynamicAlphaRate(AdaptiveRate adaptive, double delta, double lambda)
    implements RateSchedule {
  /** Refuses a slope delta ≤ 0. */
  public DynamicAlphaRate {
    if (!(delta > 0)) {
      throw new IllegalArgumentException(
          "dynamic-alpha delta=" + delta + " is not allowed: must be > 0");
    }
  }

  /** Eq. 2. */
  public double alpha(ScheduleContext c) {
    Double loss = c.lastValidationLoss();
    return loss == null ? adaptive.alpha() : 1 / (1 + Math.exp(-delta * (loss - lambda)));
  }

  @Override
  public double rate(ScheduleContext c) {
    return adaptive.rate(c, alpha(c));
  }

  @Override
  public String name() {
    return "dynamic-alpha";
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> out = new LinkedHashMap<>(adaptive.settings());
    out.put("delta", delta);
    out.put("lambda", lambda);
    return out;
  }
}
