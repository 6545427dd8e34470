package dev.dropwise.report;

import dev.dropwise.data.DataSpec;
import dev.dropwise.train.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the small-data study runs: the data sets, models, methods, budgets and seeds, read from the
 * resource {@code small-data-plan.json} beside this class (the tables' paths, the plugins the
 * methods need) rather than written in code. {@link SmallDataStudy} runs it.
 */
public final class SmallDataPlan {
  private SmallDataPlan() {}

  /** The file's shape: what the budgets share, then each budget's sizes, seeds and epochs. */
  record File(
      List<String> methods,
      Map<String, String> plugins,
      List<String> robustnessMethods,
      List<Integer> hidden,
      List<Table> tables,
      Map<String, BudgetFile> budgets) {}

  /** A budget as the file writes it: seeds as counts. */
  record BudgetFile(
      List<SizeFile> sizes,
      int tableSeeds,
      double[] rates,
      int maxEpochs,
      int patience,
      List<Integer> robustnessSizes,
      int robustnessExamples,
      int repeats) {}

  /** A subset as the file writes it. */
  record SizeFile(int examples, int seeds) {}

  private static final File PLAN =
      PlanResource.read(SmallDataPlan.class, "small-data-plan.json", File.class);

  /**
   * The methods compared with tuned standard dropout; targeted dropout is the examples module's
   * plugin.
   */
  public static final List<String> METHODS = List.copyOf(PLAN.methods());

  /** The methods whose robustness (Y-Drop Fig. 3) is measured at the smallest sizes. */
  static final List<String> ROBUSTNESS_METHODS = List.copyOf(PLAN.robustnessMethods());

  /** The share of each training set held out for validation and early stopping. */
  static final double VALIDATION = 0.1;

  /** The chart's baseline: standard dropout at the rate the methods' defaults use. */
  static final String STANDARD = "standard:p=0.5";

  /** The small tables of Debian's python3-sklearn, each with its MLP. */
  static final List<Table> TABLES = List.copyOf(PLAN.tables());

  /**
   * A Fashion-MNIST training subset of {@code examples} images, stratified, drawn anew by each
   * seed.
   */
  public record Size(int examples, List<Long> seeds) {}

  /** A table of Debian's python3-sklearn, with the MLP chosen for it and why. */
  public record Table(String name, String source, List<Integer> hidden, String why) {}

  /**
   * How much to run. {@link #SMALL} is what CI runs, in minutes; {@link #FULL} takes hours.
   *
   * @param methods compared with tuned standard dropout ({@link #METHODS})
   * @param hidden the Fashion-MNIST MLP's hidden layers
   */
  public record Budget(
      String name,
      List<String> methods,
      List<Integer> hidden,
      List<Size> sizes,
      List<Table> tables,
      List<Long> tableSeeds,
      double[] rates,
      int maxEpochs,
      int patience,
      List<Integer> robustnessSizes,
      int robustnessExamples,
      int repeats) {

    /**
     * Fashion-MNIST subsets of 1,000 and 5,000 examples (10 seeds) and 20,000 (5 seeds), the tables
     * with 10 seeds, up to 100 epochs (patience 10); takes hours.
     */
    public static final Budget FULL = budget("full");

    /**
     * One Fashion-MNIST subset of 300 examples, 2 seeds everywhere, up to 3 epochs (patience 2):
     * what CI runs.
     */
    public static final Budget SMALL = budget("small");

    /** The budget named {@code small} or {@code full}. */
    public static Budget named(String name) {
      return PlanResource.named(name, SMALL, FULL);
    }

    /** How every model of the section trains: the Table 2 analogue's optimiser and batch. */
    public TrainConfig config() {
      return TrainConfig.defaults().withEpochs(maxEpochs).withPatience(patience);
    }
  }

  private static Budget budget(String name) {
    BudgetFile b = PLAN.budgets().get(name);
    return new Budget(
        name,
        METHODS,
        List.copyOf(PLAN.hidden()),
        b.sizes().stream().map(s -> new Size(s.examples(), PlanResource.seeds(s.seeds()))).toList(),
        TABLES,
        PlanResource.seeds(b.tableSeeds()),
        b.rates(),
        b.maxEpochs(),
        b.patience(),
        List.copyOf(b.robustnessSizes()),
        b.robustnessExamples(),
        b.repeats());
  }

  /**
   * Refuses, before any work, what would stop the section: a method's plugin missing (the plan says
   * how to get it), a table missing.
   */
  public static void check(Budget budget) {
    PlanResource.checkPlugins(budget.methods(), PLAN.plugins());
    for (Table t : budget.tables()) {
      DataSpec.of(t.source()).check();
    }
  }

  /** The data sets' labels, which name their runs directories, and the robustness curves'. */
  static List<String> labels(Budget budget) {
    List<String> labels = new ArrayList<>();
    budget.sizes().forEach(size -> labels.add(fashionLabel(size.examples())));
    budget.tables().forEach(t -> labels.add(tableLabel(t)));
    labels.add(ROBUSTNESS);
    return labels;
  }

  /** The robustness curves' runs directory. */
  static final String ROBUSTNESS = "robustness";

  static String fashionLabel(int examples) {
    return "fashion-" + examples;
  }

  static String tableLabel(Table table) {
    return table.name().replace(' ', '-');
  }

  /**
   * The compared methods, then standard dropout at each searched rate (0.5 is among the methods
   * already).
   */
  static List<String> methods(Budget budget) {
    List<String> out = new ArrayList<>(budget.methods());
    for (double rate : budget.rates()) {
      if (!out.contains(standard(rate))) {
        out.add(standard(rate));
      }
    }
    return out;
  }

  /** Standard dropout at {@code rate}, as the study labels it. */
  static String standard(double rate) {
    return "standard:p=" + rate;
  }
}
