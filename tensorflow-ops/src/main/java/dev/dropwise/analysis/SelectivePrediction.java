package dev.dropwise.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Selective prediction (Geifman and El-Yaniv 2017): a model that may refuse answers refuses the
 * least certain first. The risk–coverage curve gives, for answering the {@code k} most certain
 * examples, the share of them answered wrong; its area (AURC) is the mean risk over every coverage
 * {@code k/n}, lower being better.
 */
public final class SelectivePrediction {
  private SelectivePrediction() {}

  /** The risk at coverage {@code k/n} for {@code k = 1..n}, most certain first. */
  public record Curve(double[] coverage, double[] risk) {
    /** The area under the curve: the mean of the risks. */
    public double area() {
      return Arrays.stream(risk).average().orElseThrow();
    }
  }

  /**
   * The curve for {@code uncertainty} (one score per example, higher = less certain) over the
   * predictions' errors. Examples of equal uncertainty are kept or refused together, so every
   * coverage inside such a group has the risk of the whole group kept: the curve does not depend on
   * the examples' order (float32 softmax outputs tie often, at a confidence of 1).
   */
  public static Curve curve(Predictions p, double[] uncertainty) {
    if (uncertainty.length != p.count()) {
      throw new IllegalArgumentException(
          uncertainty.length + " uncertainty scores for " + p.count() + " examples");
    }
    Integer[] order = IntStream.range(0, p.count()).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> uncertainty[i]));
    double[] coverage = new double[p.count()];
    double[] risk = new double[p.count()];
    int errors = 0;
    int start = 0;
    while (start < order.length) {
      int end = start;
      while (end < order.length && uncertainty[order[end]] == uncertainty[order[start]]) {
        errors += p.correct(order[end]) ? 0 : 1;
        end++;
      }
      for (int k = start; k < end; k++) {
        coverage[k] = (k + 1.0) / p.count();
        risk[k] = errors / (double) end;
      }
      start = end;
    }
    return new Curve(coverage, risk);
  }

  /** The curve with 1 − confidence as the uncertainty (the softmax response). */
  public static Curve byConfidence(Predictions p) {
    return curve(p, IntStream.range(0, p.count()).mapToDouble(i -> 1 - p.confidence(i)).toArray());
  }
}
