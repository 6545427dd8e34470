package dev.dropwise.report;

import java.util.List;
import java.util.Map;

/**
 * What the uncertainty study runs: the methods, the classes held out of training, the training-set
 * sizes with their rates and epochs, the Monte Carlo passes, the deep ensemble's size and the test
 * examples it measures on, read from the resource {@code uncertainty-plan.json} beside this class.
 * {@link UncertaintyStudy} runs it.
 */
public final class UncertaintyPlan {
  private UncertaintyPlan() {}

  /** The file's shape. */
  record File(
      List<String> methods,
      String baseline,
      Map<String, String> plugins,
      List<String> heldOut,
      List<Integer> hidden,
      Map<String, BudgetFile> budgets) {}

  /** A budget as the file writes it: seeds as counts. */
  record BudgetFile(
      List<StudySize.File> sizes,
      int samples,
      int members,
      int knownExamples,
      int unknownExamples,
      int shiftedExamples) {}

  private static final File PLAN =
      PlanResource.read(UncertaintyPlan.class, "uncertainty-plan.json", File.class);

  /** The label of the deep ensemble of dropout-free models, beside the methods'. */
  static final String ENSEMBLE = "ensemble";

  /** The classes (by index) held out of training, whose test images are the unknown inputs. */
  static final List<String> HELD_OUT = List.copyOf(PLAN.heldOut());

  /**
   * How much to run. {@link #SMALL} is what CI runs, in minutes; {@link #FULL} takes hours.
   *
   * @param methods the methods compared, {@code {rate}} standing for each size's rate
   * @param baseline the one they are compared with
   * @param samples Monte Carlo passes per prediction
   * @param members models in the deep ensemble
   * @param knownExamples test images of the known classes measured on (the first ones)
   * @param unknownExamples test images of the held-out classes
   * @param shiftedExamples known test images shifted by each shift at its strongest severity
   */
  public record Budget(
      String name,
      List<String> methods,
      String baseline,
      List<Integer> hidden,
      List<StudySize> sizes,
      int samples,
      int members,
      int knownExamples,
      int unknownExamples,
      int shiftedExamples)
      implements RatedMethods {

    /** 5,000 and 48,000 training images, 5 seeds each, T = 50, 5 ensemble members: hours. */
    public static final Budget FULL = budget("full");

    /** 300 training images, 2 seeds, 2 epochs, T = 4, 2 members: what CI runs. */
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
        List.copyOf(PLAN.methods()),
        PLAN.baseline(),
        List.copyOf(PLAN.hidden()),
        b.sizes().stream().map(StudySize.File::size).toList(),
        b.samples(),
        b.members(),
        b.knownExamples(),
        b.unknownExamples(),
        b.shiftedExamples());
  }

  /** Refuses, before any work, a method whose plugin is missing (the plan says how to get it). */
  public static void check(Budget budget) {
    PlanResource.checkPlugins(budget.methods(), PLAN.plugins());
  }
}
