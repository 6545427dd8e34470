package dev.dropwise.report;

import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.Json;
import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * What the reproduction report runs: its methods and both budgets (architectures, seeds, epochs,
 * the analyses' and the rate sweep's sizes), read from the resource {@code reproduction-plan.json}
 * beside this class. {@link ReproductionReport} runs it.
 */
public final class ReproductionPlan {
  private ReproductionPlan() {}

  /** The file's shape. */
  record File(List<String> methods, Map<String, BudgetFile> budgets) {}

  /** A budget as the file writes it: seeds as counts. */
  record BudgetFile(
      List<List<Integer>> architectures,
      int seeds,
      int maxEpochs,
      int patience,
      Integer limit,
      int officialEpochs,
      List<Integer> analysisLayers,
      int analysisEpochs,
      int analysisExamples,
      int repeats,
      double[] rates,
      int sweepSeeds,
      int sweepEpochs) {}

  private static final File PLAN = read();

  private static File read() {
    try (InputStream in = ReproductionPlan.class.getResourceAsStream("reproduction-plan.json")) {
      return Json.MAPPER.readValue(in, File.class);
    } catch (IOException e) {
      throw new UncheckedIOException("the reproduction plan resource cannot be read", e);
    }
  }

  /** The methods of the Table 2 analogue and of the analyses. */
  public static final List<String> METHODS = List.copyOf(PLAN.methods());

  private static Budget budget(String name) {
    BudgetFile b = PLAN.budgets().get(name);
    return new Budget(
        name,
        b.architectures().stream().map(List::copyOf).toList(),
        seeds(b.seeds()),
        b.maxEpochs(),
        b.patience(),
        b.limit(),
        b.officialEpochs(),
        List.copyOf(b.analysisLayers()),
        b.analysisEpochs(),
        b.analysisExamples(),
        b.repeats(),
        b.rates(),
        seeds(b.sweepSeeds()),
        b.sweepEpochs());
  }

  private static List<Long> seeds(int n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

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

    /**
     * The paper's scale: every training example, 5 seeds, up to 50 epochs with early stopping
     * (patience 5); takes hours.
     */
    public static final Budget FULL = budget("full");

    /** The full budget's architectures and methods on 3,000 examples, 2 seeds, 2 epochs. */
    public static final Budget SMALL = budget("small");

    /** The budget named {@code small} or {@code full}. */
    public static Budget named(String name) {
      return switch (name) {
        case "full" -> FULL;
        case "small" -> SMALL;
        default -> throw new ParameterException("budget", name, "not allowed; use small or full");
      };
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
