package dev.dropwise.report;

import dev.dropwise.train.TrainConfig;
import java.util.List;
import java.util.Locale;

/**
 * A training-set size of a study that trains Fashion-MNIST networks at a tuned rate: {@code
 * examples} images (all of them where there are no more), {@code seeds}, the rate of standard (and
 * Gaussian) dropout ({@code why} that one) and how long to train.
 */
public record StudySize(
    int examples, List<Long> seeds, double rate, int maxEpochs, int patience, String why) {

  /** Where a size's rate goes in a method's text. */
  static final String RATE = "{rate}";

  /** A size as a plan file writes it: seeds as a count. */
  record File(int examples, int seeds, double rate, int maxEpochs, int patience, String why) {
    StudySize size() {
      return new StudySize(examples, PlanResource.seeds(seeds), rate, maxEpochs, patience, why);
    }
  }

  /** Every model of this size trains so: the Table 2 analogue's optimiser and batch. */
  public TrainConfig config() {
    return TrainConfig.defaults().withEpochs(maxEpochs).withPatience(patience);
  }

  /** {@code method} with this size's rate in place of {@code {rate}}. */
  String withRate(String method) {
    return method.replace(RATE, String.format(Locale.ROOT, "%s", rate));
  }

  /** The size's runs directory. */
  String label() {
    return "fashion-" + examples;
  }
}
