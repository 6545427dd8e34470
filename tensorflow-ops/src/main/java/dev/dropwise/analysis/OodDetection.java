package dev.dropwise.analysis;

import java.util.Arrays;

/**
 * How well an uncertainty score tells inputs from outside the training distribution from those
 * inside (Hendrycks and Gimpel 2017): scores of in-distribution and out-of-distribution examples,
 * higher meaning more likely out of distribution.
 */
public final class OodDetection {
  private OodDetection() {}

  /**
   * The area under the ROC curve of telling the out-of-distribution examples by their higher score:
   * the probability that a random one scores above a random in-distribution one, ties counting half
   * (the Mann–Whitney statistic; scikit-learn's {@code roc_auc_score} with the out-of-distribution
   * examples as positives).
   */
  public static double auroc(double[] inside, double[] outside) {
    check(inside, outside);
    double[] sorted = inside.clone();
    Arrays.sort(sorted);
    double wins = 0;
    for (double s : outside) {
      int below = lowerBound(sorted, s);
      int notAbove = upperBound(sorted, s);
      wins += below + 0.5 * (notAbove - below);
    }
    return wins / ((double) inside.length * outside.length);
  }

  /**
   * The false-positive rate at 95% true-positive rate: with the in-distribution examples as
   * positives, the threshold that accepts (score at most it) the first 95% of them, lowest score
   * first, and the share of out-of-distribution examples it accepts too. Lower is better.
   */
  public static double falsePositivesAt95(double[] inside, double[] outside) {
    check(inside, outside);
    double[] sorted = inside.clone();
    Arrays.sort(sorted);
    int k = 1;
    while ((double) k / inside.length < 0.95) {
      k++;
    }
    double threshold = sorted[k - 1];
    long accepted = Arrays.stream(outside).filter(s -> s <= threshold).count();
    return (double) accepted / outside.length;
  }

  private static void check(double[] inside, double[] outside) {
    if (inside.length == 0 || outside.length == 0) {
      throw new IllegalArgumentException(
          "need scores of in- and out-of-distribution examples, got "
              + inside.length
              + " and "
              + outside.length);
    }
  }

  /** The number of values below {@code v} in {@code sorted}. */
  private static int lowerBound(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The number of values at most {@code v} in {@code sorted}. */
  private static int upperBound(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
