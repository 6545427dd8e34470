package dev.dropwise.report;

import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.TrainConfig;
import java.util.List;
import java.util.Map;

/**
 * What the reproduction report runs: its methods and both budgets (architectures, seeds, epochs,
 * the analyses' and the rate sweep's sizes), read from the resource {@code reproduction-plan.json}
 * beside this class. {@link ReproductionReport} runs it.
 */
public final class ReproductionPlan {
  private ReproductionPlan() {}

  /** The file's shape: the methods, and each budget as the record reads it. */
  record File(List<String> methods, Map<String, Budget> budgets) {}

  /** The methods of the Table 2 analogue and of the analyses. */
  public static final List<String> METHODS = List.copyOf(Budget.PLAN.methods());

  /**
   * How much to run. {@link #SMALL} finishes in minutes; {@link #FULL} takes hours. Read from the
   * plan.
   */
  public record Budget(
      String name,
      List<List<Integer>> architectures,
      List<Long> seeds,
      int maxEpochs,
      int patience,
      Integer limit,
      int officialEpochs,
      List<Integer> analysisLayers,
      int analysisEpochs,
      int analysisExamples,
      int repeats,
      double[] rates,
      List<Long> sweepSeeds,
      int sweepEpochs) {

    // Read here, not in the outer class: reading makes budgets, and a budget's class must not
    // need the outer class while that is still being initialised (whichever is touched first).
    private static final File PLAN =
        PlanResource.read(ReproductionPlan.class, "reproduction-plan.json", File.class);

    /**
     * The paper's scale: every training example, 5 seeds, up to 50 epochs with early stopping
     * (patience 5); takes hours.
     */
    public static final Budget FULL = PLAN.budgets().get("full");

    /** The full budget's architectures and methods on 3,000 examples, 2 seeds, 2 epochs. */
    public static final Budget SMALL = PLAN.budgets().get("small");

    /** The budget named {@code small} or {@code full}. */
    public static Budget named(String name) {
      return PlanResource.named(name, SMALL, FULL);
    }

    /**
     * The Table 2 analogue's training: the seeds' (SGD with momentum 0.9 at lr 0.01, batch 64), the
     * budget's epochs and patience.
     */
    public TrainConfig table2Config() {
      return TrainConfig.defaults().withEpochs(maxEpochs).withPatience(patience);
    }

    /** The official LRP-guided notebook's training: Adam at lr 1e-3, batch 64. */
    TrainConfig officialConfig() {
      return TrainConfig.defaults()
          .withEpochs(officialEpochs)
          .withOptimizer(new OptimizerSpec.Adam(1e-3f));
    }

    /** The analysis models' training (profiles, robustness): the seeds', no early stopping. */
    TrainConfig analysisConfig() {
      return TrainConfig.defaults().withEpochs(analysisEpochs);
    }

    /** The rate sweep's training: the seeds', no early stopping. */
    TrainConfig sweepConfig() {
      return TrainConfig.defaults().withEpochs(sweepEpochs);
    }
  }
}
