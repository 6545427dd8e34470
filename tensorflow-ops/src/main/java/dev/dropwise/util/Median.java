package dev.dropwise.util;

import java.util.Arrays;

/** The median of timings: the middle value, or the mean of the two middle ones. */
public final class Median {
  private Median() {}

  /** The median of {@code values} (at least one). */
  public static double of(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
