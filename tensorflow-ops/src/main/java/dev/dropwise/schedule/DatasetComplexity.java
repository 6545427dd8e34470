package dev.dropwise.schedule;

import dev.dropwise.data.Dataset;

/**
 * Dataset complexity for contextual dropout's g(D), defined from the data: the error rate of a
 * nearest-class-mean classifier (Euclidean), fitted on the first {@code n} training examples and
 * scored on the next {@code n}. 0 means classes a template separates perfectly; the more the
 * classes overlap, the closer it comes to 1 − 1/classes. Cheap, deterministic, and ordered as one
 * expects (MNIST below Fashion-MNIST below CIFAR-10).
 */
public final class DatasetComplexity {
  private DatasetComplexity() {}

  /**
   * The nearest-class-mean error: means fitted on the first {@code n} examples, scored on the next
   * {@code n}.
   */
  public static double nearestCentroidError(Dataset data, int n) {
    int fit = Math.min(n, data.size() / 2);
    int f = data.featureCount();
    double[][] means = new double[data.classCount()][f];
    int[] counts = new int[data.classCount()];
    for (int e = 0; e < fit; e++) {
      int label = data.labels()[e];
      counts[label]++;
      for (int j = 0; j < f; j++) {
        means[label][j] += data.features()[e * f + j];
      }
    }
    for (int c = 0; c < means.length; c++) {
      for (int j = 0; j < f; j++) {
        means[c][j] /= Math.max(1, counts[c]);
      }
    }
    int scored = Math.min(fit, data.size() - fit);
    int wrong = 0;
    for (int e = fit; e < fit + scored; e++) {
      int best = -1;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < means.length; c++) {
        if (counts[c] == 0) {
          continue;
        }
        double d = 0;
        for (int j = 0; j < f; j++) {
          double diff = data.features()[e * f + j] - means[c][j];
          d += diff * diff;
        }
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      wrong += best == data.labels()[e] ? 0 : 1;
    }
    return (double) wrong / scored;
  }
}
