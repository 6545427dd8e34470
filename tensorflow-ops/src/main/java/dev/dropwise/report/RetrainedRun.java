package dev.dropwise.report;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.report.FaithfulnessPlan.Budget;
import dev.dropwise.report.FaithfulnessPlan.Model;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.Errors;
import java.io.IOException;

/**
 * One model of the faithfulness study's second part as its runs directory keeps it: trained with an
 * importance-guided method steered by one measure, and its test accuracy.
 *
 * @param method the method's text, its measure included ({@code ydrop:importance=lrp-eps})
 * @param error why the run failed, or null
 */
record RetrainedRun(
    String model,
    String method,
    long seed,
    int epochs,
    double seconds,
    double accuracy,
    String error) {

  boolean failed() {
    return error != null;
  }

  /**
   * Trains {@code model} with {@code method} as the first part trains it (same data, split and
   * training); a run that fails comes back failed, with its error.
   */
  static RetrainedRun of(
      Model model,
      String method,
      Budget budget,
      long seed,
      ClassificationData data,
      ProgressListener progress) {
    long start = System.nanoTime();
    try (TrainingRun run = FaithfulnessRun.train(model, method, budget, seed, data, progress)) {
      return new RetrainedRun(
          model.name(),
          method,
          seed,
          run.history().size(),
          (System.nanoTime() - start) / 1e9,
          run.model().evaluate(data.test()).accuracy(),
          null);
    } catch (RuntimeException | IOException e) {
      return new RetrainedRun(
          model.name(), method, seed, 0, (System.nanoTime() - start) / 1e9, 0, Errors.describe(e));
    }
  }
}
