package dev.dropwise.report;

import java.util.List;
import java.util.Map;

/**
 * What the faithfulness study runs: the models (Fashion-MNIST networks and a scikit-learn table),
 * the dropout they train with, the input attributions and hidden-unit measures measured, the ones
 * each is compared with, and how much, read from the resource {@code faithfulness-plan.json} beside
 * this class. {@link FaithfulnessStudy} runs it.
 */
public final class FaithfulnessPlan {
  private FaithfulnessPlan() {}

  /**
   * A model of the study: {@code source} is {@code fashion} (a Fashion-MNIST subset of the budget's
   * size) or a {@code --data} source of a table; {@code layers} as {@code --layers} takes them.
   */
  public record Model(String name, String source, String layers, String why) {
    /** Whether it trains on Fashion-MNIST. */
    boolean fashion() {
      return source.equals("fashion");
    }
  }

  /** The file's shape. */
  record File(
      String method,
      List<String> attributions,
      List<String> units,
      String baselineAttribution,
      String baselineUnits,
      List<String> retrain,
      List<Model> models,
      Map<String, BudgetFile> budgets) {}

  /** A budget as the file writes it. */
  record BudgetFile(
      int examples, int seeds, int maxEpochs, int patience, int explained, int steps) {}

  private static final File PLAN =
      PlanResource.read(FaithfulnessPlan.class, "faithfulness-plan.json", File.class);

  /**
   * How much to run. {@link #SMALL} is what CI runs, in minutes; {@link #FULL} takes hours.
   *
   * @param retrain the importance-guided methods the second part trains with other measures
   * @param examples the Fashion-MNIST training images (a stratified subset drawn by the seed)
   * @param explained the test examples explained and flipped
   * @param steps points on each pixel-flipping curve after the first
   */
  public record Budget(
      String name,
      String method,
      List<String> attributions,
      List<String> units,
      String baselineAttribution,
      String baselineUnits,
      List<String> retrain,
      List<Model> models,
      int examples,
      List<Long> seeds,
      int maxEpochs,
      int patience,
      int explained,
      int steps) {

    /** 10,000 images, 5 seeds, 500 test examples explained: hours. */
    public static final Budget FULL = budget("full");

    /** 300 images, 2 seeds, an epoch, 12 examples explained: what CI runs. */
    public static final Budget SMALL = budget("small");

    /** The budget named {@code small} or {@code full}. */
    public static Budget named(String name) {
      return PlanResource.named(name, SMALL, FULL);
    }
  }

  private static Budget budget(String name) {
    BudgetFile b = PLAN.budgets().get(name);
    return new Budget(
        name,
        PLAN.method(),
        List.copyOf(PLAN.attributions()),
        List.copyOf(PLAN.units()),
        PLAN.baselineAttribution(),
        PLAN.baselineUnits(),
        List.copyOf(PLAN.retrain()),
        List.copyOf(PLAN.models()),
        b.examples(),
        PlanResource.seeds(b.seeds()),
        b.maxEpochs(),
        b.patience(),
        b.explained(),
        b.steps());
  }
}
