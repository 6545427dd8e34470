package dev.dropwise.dropout;

import dev.dropwise.ops.Masks;
import java.util.Arrays;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A dropout layer's per-unit drop rates and kept scales as they stood at the end of training,
 * sampled anew for every example: how an export's Monte Carlo signature samples a method whose
 * masks need importance scores or training state ({@code frozen} mode, issue 28). Unit u is dropped
 * with probability {@code rates[u]} and scaled by {@code scales[u]} when kept, so its expected
 * multiplier is the one it had in training. Made from measurements ({@code
 * ModelSession.frozenDropout}), never written in a spec: not in the registry.
 *
 * @param original the method whose rates these are (its units: {@link #featureMapUnits})
 * @param rates per unit, the share of training examples whose mask dropped it
 * @param scales per unit, its mean multiplier where kept (0 for a unit never kept)
 */
public record FrozenDropout(DropoutSpec original, float[] rates, float[] scales)
    implements DropoutSpec {
  /** Copies the arrays; refuses arrays of different lengths and rates outside [0, 1]. */
  public FrozenDropout {
    if (rates.length != scales.length) {
      throw new IllegalArgumentException(
          rates.length + " rates for " + scales.length + " scales: one each per unit");
    }
    for (float r : rates) {
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException("a drop rate of " + r + " is outside [0, 1]");
      }
    }
    rates = rates.clone();
    scales = scales.clone();
  }

  @Override
  public String name() {
    return "frozen";
  }

  /** The original method's text and the mean rate, for messages. */
  @Override
  public Map<String, Object> settings() {
    double mean = 0;
    for (float r : rates) {
      mean += r / (double) rates.length;
    }
    return Map.of("of", original.text(), "meanRate", mean);
  }

  @Override
  public String text() {
    return "frozen(" + original.text() + ")";
  }

  @Override
  public boolean monteCarloAtServing() {
    return true;
  }

  /** Its output is its input times its multiplier. */
  @Override
  public boolean multipliesUnits() {
    return true;
  }

  @Override
  public UnitView featureMapUnits() {
    return original.featureMapUnits();
  }

  @Override
  public void checkWidth(int width) {
    if (width != rates.length) {
      throw new IllegalArgumentException(
          "frozen rates of " + rates.length + " units for a layer of " + width);
    }
  }

  @Override
  public Masked apply(DropoutContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> drop = Masks.bernoulli(tf, tf.constant(rates), tf.shape(x), ctx.seed());
    return DropoutSpec.gate(ctx, x, drop, tf.constant(scales));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FrozenDropout f
        && f.original.equals(original)
        && Arrays.equals(f.rates, rates)
        && Arrays.equals(f.scales, scales);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * original.hashCode() + Arrays.hashCode(rates)) + Arrays.hashCode(scales);
  }

  @Override
  public String toString() {
    return text();
  }
}
