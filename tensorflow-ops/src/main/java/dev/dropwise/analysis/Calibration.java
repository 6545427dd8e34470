package dev.dropwise.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How well confidence matches accuracy (Guo et al. 2017): examples grouped by the confidence of
 * their predicted class, and in each group the mean confidence set against the accuracy.
 */
public final class Calibration {
  private Calibration() {}

  /** The bins of the field's expected calibration error: 15. */
  public static final int BINS = 15;

  /**
   * One group of examples: the confidences it spans, how many fell in it, their mean confidence and
   * their accuracy.
   */
  public record Bin(double lower, double upper, int count, double confidence, double accuracy) {
    /** {@code |accuracy − confidence|}, the gap the reliability diagram shows. */
    public double gap() {
      return Math.abs(accuracy - confidence);
    }
  }

  /**
   * {@code bins} equal-width bins of confidence over [0, 1], empty ones left out. A confidence
   * falls in the bin whose upper edge it does not exceed ({@code (k/B, (k+1)/B]}, the first bin
   * taking 0 too), with the edges {@code k · (1/B)}: scikit-learn's {@code calibration_curve} bins
   * the same way.
   */
  public static List<Bin> equalWidth(Predictions p, int bins) {
    checkBins(bins);
    double step = 1.0 / bins;
    int[] bin = new int[p.count()];
    for (int i = 0; i < p.count(); i++) {
      double confidence = p.confidence(i);
      int k = 0;
      while (k < bins - 1 && (k + 1) * step < confidence) {
        k++;
      }
      bin[i] = k;
    }
    List<Bin> out = new ArrayList<>();
    for (int k = 0; k < bins; k++) {
      int at = k;
      int[] members = IntStream.range(0, p.count()).filter(i -> bin[i] == at).toArray();
      if (members.length > 0) {
        out.add(summary(p, members, k * step, k == bins - 1 ? 1 : (k + 1) * step));
      }
    }
    return out;
  }

  /**
   * {@code bins} equal-mass bins: the examples sorted by confidence and cut into groups whose sizes
   * differ by at most one, the larger first (NumPy's {@code array_split}): the adaptive calibration
   * error's bins (Nixon et al. 2019 use them per class; here, as for the ECE, for the top-label
   * confidence). Ties keep the examples' order.
   */
  public static List<Bin> equalMass(Predictions p, int bins) {
    checkBins(bins);
    Integer[] order = IntStream.range(0, p.count()).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(p::confidence));
    List<Bin> out = new ArrayList<>();
    int start = 0;
    for (int k = 0; k < bins; k++) {
      int size = p.count() / bins + (k < p.count() % bins ? 1 : 0);
      if (size == 0) {
        continue;
      }
      int[] members = new int[size];
      for (int j = 0; j < size; j++) {
        members[j] = order[start + j];
      }
      out.add(summary(p, members, p.confidence(members[0]), p.confidence(members[size - 1])));
      start += size;
    }
    return out;
  }

  /** The expected calibration error over {@code bins}: {@code Σ_b (n_b / n) |acc_b − conf_b|}. */
  public static double error(List<Bin> bins) {
    double n = bins.stream().mapToInt(Bin::count).sum();
    return bins.stream().mapToDouble(b -> b.count() / n * b.gap()).sum();
  }

  /** The expected calibration error over {@link #BINS} equal-width bins. */
  public static double expectedError(Predictions p) {
    return error(equalWidth(p, BINS));
  }

  /** The adaptive calibration error over {@link #BINS} equal-mass bins. */
  public static double adaptiveError(Predictions p) {
    return error(equalMass(p, BINS));
  }

  private static Bin summary(Predictions p, int[] members, double lower, double upper) {
    double confidence = 0;
    double right = 0;
    for (int i : members) {
      confidence += p.confidence(i);
      right += p.correct(i) ? 1 : 0;
    }
    return new Bin(
        lower, upper, members.length, confidence / members.length, right / members.length);
  }

  private static void checkBins(int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins=" + bins + " is not allowed: must be >= 1");
    }
  }
}
