package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.export.ServingModel;

/**
 * Predicted class distributions of {@code labels.length} examples, {@code probabilities} {@code
 * [count * classes]} row by row, with their true labels: what the measures of calibration,
 * selective prediction and out-of-distribution detection are computed from.
 */
public record Predictions(float[] probabilities, int[] labels, int classes) {

  /**
   * The smallest probability a log takes (float32's machine epsilon): a confidently wrong
   * prediction costs at most {@code −ln ε ≈ 15.9} nats, as scikit-learn's {@code log_loss} clips
   * float32 input.
   */
  public static final double LOG_FLOOR = Math.ulp(1f);

  /** {@code data} (raw, as the export takes it) through {@code model}'s serving_default. */
  public static Predictions served(ServingModel model, Dataset data) {
    ServingModel.Prediction p = model.predict(data.features(), data.size());
    return new Predictions(p.probabilities(), data.labels(), p.classes());
  }

  /**
   * Refuses no examples, a table whose size is not {@code labels.length * classes}, or a label out
   * of range.
   */
  public Predictions {
    if (labels.length == 0
        || classes < 2
        || probabilities.length != (long) labels.length * classes) {
      throw new IllegalArgumentException(
          probabilities.length
              + " probabilities for "
              + labels.length
              + " examples of "
              + classes
              + " classes (at least one example of at least 2 classes)");
    }
    for (int label : labels) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException(
            "label " + label + " is not a class: allowed 0 to " + (classes - 1));
      }
    }
  }

  /** The number of examples. */
  public int count() {
    return labels.length;
  }

  /** Example {@code i}'s probability of class {@code c}. */
  public double p(int i, int c) {
    return probabilities[i * classes + c];
  }

  /** Example {@code i}'s most probable class (the first, on a tie). */
  public int predicted(int i) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (p(i, c) > p(i, best)) {
        best = c;
      }
    }
    return best;
  }

  /** Example {@code i}'s confidence: the probability of its predicted class. */
  public double confidence(int i) {
    return p(i, predicted(i));
  }

  /** Whether example {@code i}'s predicted class is its label. */
  public boolean correct(int i) {
    return predicted(i) == labels[i];
  }

  /** The share of examples predicted right. */
  public double accuracy() {
    int right = 0;
    for (int i = 0; i < count(); i++) {
      right += correct(i) ? 1 : 0;
    }
    return (double) right / count();
  }

  /**
   * Negative log-likelihood, {@code −(1/n) Σ_i ln p_i(y_i)}, each probability clipped to [{@link
   * #LOG_FLOOR}, 1 − {@link #LOG_FLOOR}].
   */
  public double negativeLogLikelihood() {
    double sum = 0;
    for (int i = 0; i < count(); i++) {
      sum -= Math.log(Math.min(1 - LOG_FLOOR, Math.max(LOG_FLOOR, p(i, labels[i]))));
    }
    return sum / count();
  }

  /**
   * The Brier score over all classes, {@code (1/n) Σ_i Σ_c (p_ic − 1[y_i = c])²}: 0 for certain,
   * right predictions, 2 for certain, wrong ones (Brier 1950).
   */
  public double brier() {
    double sum = 0;
    for (int i = 0; i < count(); i++) {
      for (int c = 0; c < classes; c++) {
        double d = p(i, c) - (labels[i] == c ? 1 : 0);
        sum += d * d;
      }
    }
    return sum / count();
  }

  /** Example {@code i}'s entropy {@code −Σ_c p_c ln p_c}, in nats ({@code 0 · ln 0 = 0}). */
  public double entropy(int i) {
    double h = 0;
    for (int c = 0; c < classes; c++) {
      double v = p(i, c);
      h -= v > 0 ? v * Math.log(v) : 0;
    }
    return h;
  }
}
