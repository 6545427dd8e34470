package dev.dropwise.importance;

import dev.dropwise.data.Dataset;
import java.util.Arrays;

/**
 * What input-level explanations know of the inputs, in the network's input space (after the model's
 * preprocessing): the lowest and highest value each feature takes (the z^B rule's box, SmoothGrad's
 * noise scale) and the baseline that integrated gradients start from. Each is one value for every
 * feature, or one per feature in the flat input order.
 *
 * @param low the lowest value of each feature
 * @param high the highest
 * @param baseline the reference input
 */
public record InputSpace(float[] low, float[] high, float[] baseline) {
  /** Refuses empty arrays and a low bound above its high bound. */
  public InputSpace {
    if (low.length == 0 || high.length != low.length || baseline.length == 0) {
      throw new IllegalArgumentException(
          "input space: "
              + low.length
              + " low, "
              + high.length
              + " high and "
              + baseline.length
              + " baseline values");
    }
    for (int i = 0; i < low.length; i++) {
      if (!(low[i] <= high[i])) {
        throw new IllegalArgumentException(
            "input space: low " + low[i] + " above high " + high[i] + " at feature " + i);
      }
    }
    low = low.clone();
    high = high.clone();
    baseline = baseline.clone();
  }

  /** Inputs scaled into [0, 1] (unit scaling), with a zero baseline. */
  public static InputSpace unit() {
    return new InputSpace(new float[] {0f}, new float[] {1f}, new float[] {0f});
  }

  /** Each feature's minimum and maximum over {@code data}, with a zero baseline. */
  public static InputSpace spanning(Dataset data) {
    int f = data.featureCount();
    float[] low = new float[f];
    float[] high = new float[f];
    Arrays.fill(low, Float.POSITIVE_INFINITY);
    Arrays.fill(high, Float.NEGATIVE_INFINITY);
    float[] x = data.features();
    for (int i = 0; i < x.length; i++) {
      low[i % f] = Math.min(low[i % f], x[i]);
      high[i % f] = Math.max(high[i % f], x[i]);
    }
    return new InputSpace(low, high, new float[] {0f});
  }

  /** The same bounds with another baseline (one value, or one per feature). */
  public InputSpace withBaseline(float[] values) {
    return new InputSpace(low, high, values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputSpace s
        && Arrays.equals(s.low, low)
        && Arrays.equals(s.high, high)
        && Arrays.equals(s.baseline, baseline);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(low) * 961 + Arrays.hashCode(high) * 31 + Arrays.hashCode(baseline);
  }

  @Override
  public String toString() {
    return "InputSpace[" + low.length + " bounds, " + baseline.length + " baseline values]";
  }
}
