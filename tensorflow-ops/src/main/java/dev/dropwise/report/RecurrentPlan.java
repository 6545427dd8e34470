package dev.dropwise.report;

import java.util.List;
import java.util.Map;

/**
 * What the recurrent study runs: an LSTM over sequential Fashion-MNIST (each image read row by row,
 * 28 steps of 28 pixels) with each way to drop in it, the baseline every arm is compared with, the
 * further pairs compared, and how much, read from the resource {@code recurrent-plan.json} beside
 * this class. {@link RecurrentStudy} runs it.
 */
public final class RecurrentPlan {
  private RecurrentPlan() {}

  /** An arm: its name, its layer ({@code {units}} standing for the budget's units), and why. */
  public record Arm(String name, String layer, String why) {
    /** The layer with the budget's units. */
    public String layer(int units) {
      return layer.replace("{units}", String.valueOf(units));
    }
  }

  /** The file's shape. */
  record File(
      List<Arm> arms, String baseline, List<List<String>> pairs, Map<String, BudgetFile> budgets) {}

  /** A budget as the file writes it. */
  record BudgetFile(
      int examples, int units, int seeds, int maxEpochs, int patience, int batch, double lr) {}

  private static final File PLAN =
      PlanResource.read(RecurrentPlan.class, "recurrent-plan.json", File.class);

  /**
   * How much to run. {@link #SMALL} is what CI runs, in minutes; {@link #FULL} takes hours.
   *
   * @param examples the training images (a stratified subset drawn by the seed; all of them when as
   *     many as there are)
   * @param pairs further pairs compared, {@code [baseline arm, arm]} each
   */
  public record Budget(
      String name,
      List<Arm> arms,
      String baseline,
      List<List<String>> pairs,
      int examples,
      int units,
      List<Long> seeds,
      int maxEpochs,
      int patience,
      int batch,
      double lr) {

    /** All 60,000 images, an LSTM of 128, 5 seeds, up to 10 epochs: hours. */
    public static final Budget FULL = budget("full");

    /** 600 images, an LSTM of 16, 2 seeds, an epoch: what CI runs. */
    public static final Budget SMALL = budget("small");

    /** The budget named {@code small} or {@code full}. */
    public static Budget named(String name) {
      return PlanResource.named(name, SMALL, FULL);
    }

    /** The arm called {@code name}. */
    Arm arm(String name) {
      return arms.stream()
          .filter(a -> a.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("the plan has no arm " + name));
    }
  }

  private static Budget budget(String name) {
    BudgetFile b = PLAN.budgets().get(name);
    return new Budget(
        name,
        List.copyOf(PLAN.arms()),
        PLAN.baseline(),
        List.copyOf(PLAN.pairs()),
        b.examples(),
        b.units(),
        PlanResource.seeds(b.seeds()),
        b.maxEpochs(),
        b.patience(),
        b.batch(),
        b.lr());
  }
}
