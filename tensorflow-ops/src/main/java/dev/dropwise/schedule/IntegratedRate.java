package dev.dropwise.schedule;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Integrated dropout (seed 001, Eq. 15): the weighted mean {@code Σ w_m r_m / Σ w_m} of several
 * schedules' rates, with efficacy weights updated after every epoch from the validation loss.
 *
 * <p>The seed leaves the update open. dropwise's rule: after an epoch, with the relative
 * improvement {@code Δ = (L_prev − L_now) / L_prev} of the validation loss, each weight becomes
 * {@code w_m · exp(η·Δ·(r_m − r̄)/r̄)} (r_m the rate schedule m proposed for that epoch, r̄ the
 * mix), then the weights are normalised to sum to 1. When the loss improved, the schedules that
 * asked for more dropout than the mix gain weight; when it worsened, they lose it.
 */
public final class IntegratedRate implements RateSchedule {
  private final List<RateSchedule> schedules;
  private final double eta;
  private final double[] weights;
  private double[] proposed;

  /** The mix of {@code schedules}, equal weights at first, updated with step size {@code eta}. */
  public IntegratedRate(List<RateSchedule> schedules, double eta) {
    if (schedules.size() < 2) {
      throw new IllegalArgumentException(
          "integrated needs at least two schedules, got " + schedules.size());
    }
    if (!(eta >= 0)) {
      throw new IllegalArgumentException("integrated eta=" + eta + " is not allowed: must be >= 0");
    }
    this.schedules = List.copyOf(schedules);
    this.eta = eta;
    this.weights = new double[schedules.size()];
    Arrays.fill(weights, 1.0 / schedules.size());
  }

  /** The schedules mixed, in order. */
  public List<RateSchedule> schedules() {
    return schedules;
  }

  /** The weight update's step size. */
  public double eta() {
    return eta;
  }

  @Override
  public RateSchedule fresh() {
    return new IntegratedRate(schedules.stream().map(RateSchedule::fresh).toList(), eta);
  }

  /** The current efficacy weights (summing to 1). */
  public double[] weights() {
    return weights.clone();
  }

  @Override
  public double rate(ScheduleContext c) {
    proposed = schedules.stream().mapToDouble(s -> s.rate(c)).toArray();
    double sum = 0;
    for (int m = 0; m < weights.length; m++) {
      sum += weights[m] * proposed[m];
    }
    return RateSchedule.clamp(sum / Arrays.stream(weights).sum(), 0.99);
  }

  @Override
  public void observe(ScheduleContext finished) {
    schedules.forEach(s -> s.observe(finished));
    var h = finished.history();
    if (proposed == null
        || h.size() < 2
        || h.get(h.size() - 1).loss() == null
        || h.get(h.size() - 2).loss() == null) {
      return;
    }
    double previous = h.get(h.size() - 2).loss();
    double delta = (previous - h.get(h.size() - 1).loss()) / previous;
    double mix = 0;
    for (int m = 0; m < weights.length; m++) {
      mix += weights[m] * proposed[m];
    }
    if (mix <= 0) {
      return;
    }
    double total = 0;
    for (int m = 0; m < weights.length; m++) {
      weights[m] *= Math.exp(eta * delta * (proposed[m] - mix) / mix);
      total += weights[m];
    }
    for (int m = 0; m < weights.length; m++) {
      weights[m] /= total;
    }
  }

  /** Equal when built alike (same parts, same η), whatever the weights have learned since. */
  @Override
  public boolean equals(Object o) {
    return o instanceof IntegratedRate other
        && other.schedules.equals(schedules)
        && other.eta == eta;
  }

  @Override
  public int hashCode() {
    return schedules.hashCode() * 31 + Double.hashCode(eta);
  }

  @Override
  public String toString() {
    return "IntegratedRate[" + text() + "]";
  }

  @Override
  public String name() {
    return "integrated";
  }

  @Override
  public Map<String, Object> settings() {
    // The parts by their own texts (adaptive, or adaptive(r0=0.3)), joined by +.
    return Map.of(
        "of",
        schedules.stream().map(RateSchedule::text).collect(Collectors.joining("+")),
        "eta",
        eta);
  }
}
