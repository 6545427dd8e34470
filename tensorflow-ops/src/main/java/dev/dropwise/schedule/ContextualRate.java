package dev.dropwise.schedule;

import dev.dropwise.ops.StandardDropoutRate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Contextual dropout (seed 001, Eq. 9–11): {@code r = r0 · g(D) · h(T) · i(P)} with
 *
 * <ul>
 *   <li>{@code g = 1 − exp(−Θ·D)}, D the dataset complexity of {@link DatasetComplexity} — harder
 *       data, more dropout;
 *   <li>{@code h = 1 − 1 / (1 + exp(−Φ·(T − T_mid)))}, T the epoch and T_mid the middle of training
 *       (E/2 unless given) — dropout fades over the second half;
 *   <li>{@code i = max(0, 1 + Ψ·ln P)}, P the last validation accuracy (1 before the first).
 * </ul>
 *
 * The seed's example {@code i = Ψ·log P} is negative for every accuracy below 1 (and any loss below
 * 1), which would make the rate negative; dropwise reads it as a log-linear adjustment around 1, so
 * that a model that does poorly (low P) is regularised less.
 */
public record ContextualRate(double r0, double theta, double phi, double psi, Double tMid)
    implements RateSchedule {
  /** Refuses a base rate outside [0, 1), theta ≤ 0, or a negative phi or psi. */
  public ContextualRate {
    StandardDropoutRate.check("r0", r0);
    if (!(theta > 0) || !(phi >= 0) || !(psi >= 0)) {
      throw new IllegalArgumentException(
          "contextual needs theta > 0, phi >= 0, psi >= 0: got theta="
              + theta
              + ", phi="
              + phi
              + ", psi="
              + psi);
    }
  }

  /** Eq. 9's complexity factor, 1 - exp(-θ·D). */
  public double g(ScheduleContext c) {
    return 1 - Math.exp(-theta * c.datasetComplexity());
  }

  /** Eq. 10's epoch factor, a sigmoid falling around T_mid. */
  public double h(ScheduleContext c) {
    double mid = tMid != null ? tMid : c.epochs() / 2.0;
    return 1 - 1 / (1 + Math.exp(-phi * (c.epoch() - mid)));
  }

  /** Eq. 11's accuracy factor, max(0, 1 + ψ·ln P); 1 before any validation. */
  public double i(ScheduleContext c) {
    Double accuracy = c.lastValidationAccuracy();
    return accuracy == null ? 1 : Math.max(0, 1 + psi * Math.log(Math.max(accuracy, 1e-12)));
  }

  @Override
  public double rate(ScheduleContext c) {
    return RateSchedule.clamp(r0 * g(c) * h(c) * i(c), 0.99);
  }

  @Override
  public String name() {
    return "contextual";
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("r0", r0);
    out.put("theta", theta);
    out.put("phi", phi);
    out.put("psi", psi);
    if (tMid != null) {
      out.put("tmid", tMid);
    }
    return out;
  }
}
