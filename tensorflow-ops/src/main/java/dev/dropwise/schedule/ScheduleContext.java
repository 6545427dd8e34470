package dev.dropwise.schedule;

import java.util.List;

/**
 * What a schedule may look at when it sets a layer's rate for an epoch.
 *
 * @param epoch the epoch about to run, 0-based
 * @param epochs the epochs planned
 * @param depth the layer's depth among the dropout layers, 1-based
 * @param maxDepth the number of dropout layers
 * @param history the validation results of the epochs finished so far
 * @param datasetComplexity the training data's complexity in [0, 1] ({@link DatasetComplexity})
 */
public record ScheduleContext(
    int epoch,
    int epochs,
    int depth,
    int maxDepth,
    List<Validation> history,
    double datasetComplexity) {

  /** What a finished epoch showed on the validation set: loss and accuracy, null without one. */
  public record Validation(Double loss, Double accuracy) {}

  /** Training progress e/E in [0, 1). */
  public double progress() {
    return (double) epoch / epochs;
  }

  /** The last validation loss, if an epoch with validation has finished. */
  public Double lastValidationLoss() {
    return history.isEmpty() ? null : history.get(history.size() - 1).loss();
  }

  /** The last validation accuracy, if an epoch with validation has finished. */
  public Double lastValidationAccuracy() {
    return history.isEmpty() ? null : history.get(history.size() - 1).accuracy();
  }
}
