package dev.dropwise.cli;

import dev.dropwise.analysis.Calibration;
import dev.dropwise.analysis.Predictions;
import dev.dropwise.data.Dataset;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.TemperatureScaling;
import java.util.Locale;

/**
 * {@code train --calibrate}: the temperature fitted on the validation split, and what it changed.
 */
final class Calibrate {
  private Calibrate() {}

  /**
   * Fits the temperature to {@code validation}'s logits (dropout off) and prints the NLL and ECE
   * there before and after.
   */
  static double fitted(ModelSession model, Dataset validation) {
    int classes = model.spec().classes();
    float[] logits = model.logits(validation, validation.size(), false, 0);
    double t = TemperatureScaling.fit(logits, validation.labels(), classes);
    Predictions before =
        new Predictions(
            TemperatureScaling.probabilities(logits, classes, 1), validation.labels(), classes);
    Predictions after =
        new Predictions(
            TemperatureScaling.probabilities(logits, classes, t), validation.labels(), classes);
    System.out.printf(
        Locale.ROOT,
        "temperature scaling on the validation split (%d examples): T = %.4f; "
            + "NLL %.4f -> %.4f, ECE %.4f -> %.4f%n",
        validation.size(),
        t,
        before.negativeLogLikelihood(),
        after.negativeLogLikelihood(),
        Calibration.expectedError(before),
        Calibration.expectedError(after));
    return t;
  }
}
