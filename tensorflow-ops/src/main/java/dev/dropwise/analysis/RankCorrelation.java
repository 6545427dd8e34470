package dev.dropwise.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Spearman's rank correlation: Pearson's of the ranks, ties given their mean rank. */
public final class RankCorrelation {
  private RankCorrelation() {}

  /**
   * Spearman's ρ of {@code a} and {@code b} (the same length, at least 2); NaN where either is
   * constant (it ranks nothing), as SciPy's {@code spearmanr} gives.
   */
  public static double spearman(float[] a, float[] b) {
    if (a.length != b.length || a.length < 2) {
      throw new IllegalArgumentException(
          "rank correlation of " + a.length + " and " + b.length + " values: need the same, >= 2");
    }
    double[] ra = ranks(a);
    double[] rb = ranks(b);
    double mean = (a.length + 1) / 2.0;
    double cov = 0;
    double va = 0;
    double vb = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (ra[i] - mean) * (rb[i] - mean);
      va += (ra[i] - mean) * (ra[i] - mean);
      vb += (rb[i] - mean) * (rb[i] - mean);
    }
    return va == 0 || vb == 0 ? Double.NaN : cov / Math.sqrt(va * vb);
  }

  /** Ranks 1..n, tied values sharing the mean of the ranks they span. */
  static double[] ranks(float[] v) {
    Integer[] order =
        IntStream.range(0, v.length)
            .boxed()
            .sorted(Comparator.comparingDouble(i -> v[i]))
            .toArray(Integer[]::new);
    double[] r = new double[v.length];
    int i = 0;
    while (i < v.length) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = rank;
      }
      i = j + 1;
    }
    return r;
  }

  /** {@code |v|}, element by element. */
  static float[] abs(float[] v) {
    float[] out = Arrays.copyOf(v, v.length);
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.abs(out[i]);
    }
    return out;
  }
}
