package dev.dropwise.cli;

import dev.dropwise.analysis.Calibration;
import dev.dropwise.analysis.Predictions;
import dev.dropwise.data.Dataset;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.TemperatureScaling;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code train --calibrate}: the temperature fitted on the validation split, and what it changed.
 */
final class Calibrate {
  private Calibrate() {}

  /** Examples per forward pass while the validation logits are computed. */
  private static final int CHUNK = 1000;

  /**
   * Fits the temperature to {@code validation}'s logits (dropout off) and prints the NLL and ECE
   * there before and after; warns where the fit says little (no error to learn from, or a bound).
   */
  static double fitted(ModelSession model, Dataset validation) {
    int classes = model.spec().classes();
    float[] logits = new float[validation.size() * classes];
    for (int first = 0; first < validation.size(); first += CHUNK) {
      int count = Math.min(CHUNK, validation.size() - first);
      Dataset chunk = validation.select(IntStream.range(first, first + count).toArray());
      System.arraycopy(
          model.logits(chunk, count, false, 0), 0, logits, first * classes, count * classes);
    }
    int[] labels = validation.labels();
    double t = TemperatureScaling.fit(logits, labels, classes);
    Predictions before =
        new Predictions(TemperatureScaling.probabilities(logits, classes, 1), labels, classes);
    Predictions after =
        new Predictions(TemperatureScaling.probabilities(logits, classes, t), labels, classes);
    System.out.printf(
        Locale.ROOT,
        "temperature scaling on the validation split (%d examples): T = %.4f; "
            + "NLL %.4f -> %.4f, ECE %.4f -> %.4f%n",
        validation.size(),
        t,
        TemperatureScaling.nll(logits, labels, classes, 1),
        TemperatureScaling.nll(logits, labels, classes, t),
        Calibration.expectedError(before),
        Calibration.expectedError(after));
    if (before.accuracy() == 1 || t <= TemperatureScaling.MIN_T * 1.001) {
      System.out.println(
          "warning: every validation example is predicted right, so the fit can only sharpen "
              + "the model; the exported probabilities are near certain (a larger --val-fraction "
              + "gives it mistakes to learn from)");
    } else if (t >= TemperatureScaling.MAX_T / 1.001) {
      System.out.println(
          "warning: the temperature reached its bound of "
              + TemperatureScaling.MAX_T
              + ": the exported probabilities are near uniform");
    }
    return t;
  }
}
