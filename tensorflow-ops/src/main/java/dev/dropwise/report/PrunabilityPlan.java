package dev.dropwise.report;

import java.util.List;
import java.util.Map;

/**
 * What the prunability study runs: the trainings compared, the rankings and shares each trained
 * network is pruned by and to, the fine-tuning after pruning, and the training-set sizes with their
 * rates and epochs, read from the resource {@code prunability-plan.json} beside this class. {@link
 * PrunabilityStudy} runs it.
 */
public final class PrunabilityPlan {
  private PrunabilityPlan() {}

  /** The file's shape. */
  record File(
      List<String> methods,
      String baseline,
      Map<String, String> plugins,
      List<Integer> hidden,
      List<String> rankings,
      List<Double> shares,
      int fineTuneEpochs,
      int rankedOn,
      Map<String, BudgetFile> budgets) {}

  /** A budget as the file writes it. */
  record BudgetFile(List<StudySize.File> sizes) {}

  private static final File PLAN =
      PlanResource.read(PrunabilityPlan.class, "prunability-plan.json", File.class);

  /**
   * How much to run. {@link #SMALL} is what CI runs, in minutes; {@link #FULL} takes hours.
   *
   * @param methods the trainings compared, {@code {rate}} standing for each size's rate
   * @param baseline the one they are compared with
   * @param rankings how each network's units are ranked for pruning
   * @param shares the shares of every hidden layer's units kept
   * @param fineTuneEpochs epochs of training on after pruning, in the fine-tuned arm
   * @param rankedOn validation examples an importance measure is computed on
   */
  public record Budget(
      String name,
      List<String> methods,
      String baseline,
      List<Integer> hidden,
      List<String> rankings,
      List<Double> shares,
      int fineTuneEpochs,
      int rankedOn,
      List<StudySize> sizes)
      implements RatedMethods {

    /** 5,000 and 60,000 training images, 5 seeds each: hours. */
    public static final Budget FULL = budget("full");

    /** 300 training images, 2 seeds, 2 epochs: what CI runs. */
    public static final Budget SMALL = budget("small");

    /** The budget named {@code small} or {@code full}. */
    public static Budget named(String name) {
      return PlanResource.named(name, SMALL, FULL);
    }
  }

  private static Budget budget(String name) {
    return new Budget(
        name,
        List.copyOf(PLAN.methods()),
        PLAN.baseline(),
        List.copyOf(PLAN.hidden()),
        List.copyOf(PLAN.rankings()),
        List.copyOf(PLAN.shares()),
        PLAN.fineTuneEpochs(),
        PLAN.rankedOn(),
        PLAN.budgets().get(name).sizes().stream().map(StudySize.File::size).toList());
  }

  /** Refuses, before any work, a method whose plugin is missing (the plan says how to get it). */
  public static void check(Budget budget) {
    PlanResource.checkPlugins(budget.methods(), PLAN.plugins());
  }
}
