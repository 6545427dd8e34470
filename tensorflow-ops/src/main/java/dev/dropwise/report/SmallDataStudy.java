package dev.dropwise.report;

import static dev.dropwise.report.SmallDataPlan.ROBUSTNESS;
import static dev.dropwise.report.SmallDataPlan.VALIDATION;
import static dev.dropwise.report.SmallDataPlan.check;
import static dev.dropwise.report.SmallDataPlan.fashionLabel;
import static dev.dropwise.report.SmallDataPlan.labels;
import static dev.dropwise.report.SmallDataPlan.methods;
import static dev.dropwise.report.SmallDataPlan.standard;
import static dev.dropwise.report.SmallDataPlan.tableLabel;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.DataSpec;
import dev.dropwise.data.Dataset;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.report.SmallDataPlan.Budget;
import dev.dropwise.report.SmallDataPlan.Size;
import dev.dropwise.report.SmallDataPlan.Table;
import dev.dropwise.train.EpochRecord;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.OutputDirectories;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The report's small-data section: where does knowing which units matter pay off? The Y-Drop paper
 * (§5, Table 3) finds its gains largest where data is scarce. Here every method is trained on
 * Fashion-MNIST subsets (stratified, drawn by the seed) and on the small tables Debian's
 * python3-sklearn ships, with early stopping on a validation split, and compared with standard
 * dropout at the rate a search on the validation split chose ("tuned standard"), paired by seed,
 * with Holm's correction over every comparison of the section. Finished trainings are kept, so the
 * section resumes and a rerun trains nothing new.
 */
public final class SmallDataStudy {
  private SmallDataStudy() {}

  /**
   * Where the section begins and ends in the report file, so that either part of the report can be
   * rewritten alone.
   */
  static final String BEGIN = "<!-- small-data: begin -->";

  static final String END = "<!-- small-data: end -->";

  /** The section between its markers. */
  static final MarkedSection SECTION = new MarkedSection(BEGIN, END);

  /**
   * One method's accuracy difference to standard dropout at one training-set size, for the chart.
   */
  public record SizePoint(String method, int examples, double meanPoints, double halfWidthPoints) {}

  /**
   * One data set of the study: its runs by method label, the tuned rate and the validation accuracy
   * per rate.
   */
  record Arm(
      String title,
      String label,
      int examples,
      int seeds,
      Map<String, List<Comparison.Run>> runs,
      double tunedRate,
      Map<Double, Double> validationByRate,
      String design) {

    /**
     * The fewest finished runs of any of its models: below {@link #seeds} while the arm is still
     * training.
     */
    int finished(List<String> models) {
      return models.stream()
          .mapToInt(
              m -> (int) runs.getOrDefault(m, List.of()).stream().filter(r -> !r.failed()).count())
          .min()
          .orElse(0);
    }

    List<Comparison.Run> tuned() {
      return runs.get(standard(tunedRate));
    }
  }

  /**
   * Refuses, before any work, a report that cannot be written, a chart folder beside it and the
   * runs directories under {@code runsDir} (one per data set and the robustness curves') that are
   * neither new, empty, nor dropwise's.
   */
  public static void checkOutputs(Budget budget, Path report, Path runsDir) {
    ReproductionReport.checkReport(report);
    for (String label : labels(budget)) {
      OutputDirectories.check("runs directory", runsDir.resolve(label));
    }
  }

  /**
   * Runs the section on {@code fashion} (the full Fashion-MNIST) and the tables, and writes it into
   * {@code report} in place of its earlier version (appended when it has none); {@code table2Runs}:
   * the full report's Table 2 runs, whose models of the same hidden layers give the chart's largest
   * size.
   */
  public static void write(
      ClassificationData fashion,
      Budget budget,
      ReproductionPlan.Budget reportBudget,
      Path report,
      Path runsDir,
      Path table2Runs,
      String command,
      ChartWriter charts,
      BiFunction<String, Long, ProgressListener> progress,
      PrintStream log,
      boolean partial)
      throws IOException {
    check(budget);
    checkOutputs(budget, report, runsDir);
    TrainConfig config = budget.config();
    // The robustness models first and the tables next: they train in minutes, the Fashion-MNIST
    // subsets in hours.
    Path images = ReproductionReport.chartFolder(report);
    String robustness =
        SmallDataRobustness.section(
            fashion,
            budget,
            config,
            runsDir.resolve(ROBUSTNESS),
            report,
            images,
            charts,
            progress,
            partial);
    List<Arm> arms = new ArrayList<>();
    for (Table table : budget.tables()) {
      String label = tableLabel(table);
      ClassificationData first = tableSplit(table, budget.tableSeeds().get(0));
      arms.add(
          arm(
              table.name() + " (" + first.train().size() + " training rows)",
              label,
              first.train().size(),
              table.hidden(),
              budget.tableSeeds(),
              seed -> tableSplit(table, seed),
              budget,
              config,
              runsDir.resolve(label),
              progress,
              log,
              partial));
    }
    for (Size size : budget.sizes()) {
      String label = fashionLabel(size.examples());
      arms.add(
          arm(
              "Fashion-MNIST, "
                  + String.format(Locale.ROOT, "%,d", size.examples())
                  + " training images",
              label,
              size.examples(),
              budget.hidden(),
              size.seeds(),
              seed -> subset(fashion, size.examples(), seed),
              budget,
              config,
              runsDir.resolve(label),
              progress,
              log,
              partial));
    }
    StringBuilder md =
        new StringBuilder(BEGIN)
            .append("\n## Small data: where does knowing which units matter pay off?\n\n")
            .append("Written by `")
            .append(command)
            .append("` (budget **")
            .append(budget.name())
            .append("**).\n\n")
            .append(SmallDataPage.design(budget, config));
    md.append(SmallDataPage.results(arms, budget));
    md.append(
        SmallDataGap.section(
            arms, budget, fashion, reportBudget, table2Runs, report, images, charts));
    md.append(robustness).append(END).append('\n');
    SECTION.replaceIn(report, md.toString(), ReproductionReport.TITLE);
  }

  private interface DataForSeed {
    ClassificationData of(long seed) throws IOException;
  }

  /** One data set: every method and every searched standard rate, each seed on that seed's data. */
  private static Arm arm(
      String title,
      String label,
      int examples,
      List<Integer> hidden,
      List<Long> seeds,
      DataForSeed dataFor,
      Budget budget,
      TrainConfig config,
      Path runsDir,
      BiFunction<String, Long, ProgressListener> progress,
      PrintStream log,
      boolean partial)
      throws IOException {
    Map<String, List<Comparison.Run>> runs = new LinkedHashMap<>();
    String design = null;
    for (long seed : seeds) {
      ClassificationData data = dataFor.of(seed);
      Map<String, ModelSpec> specs = new LinkedHashMap<>();
      for (String method : methods(budget)) {
        specs.put(method, ReproductionReport.mlp(data, hidden, method));
      }
      design = specs.get("none").widths();
      List<Comparison.Run> done =
          partial
              ? Comparison.finished(data, specs, List.of(seed), config, VALIDATION, null, runsDir)
              : Comparison.run(
                  data, specs, List.of(seed), config, VALIDATION, null, progress, runsDir, log);
      done.forEach(r -> runs.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r));
    }
    // The rate search: the rate whose models reach the best mean validation accuracy, ties to the
    // lower rate.
    Map<Double, Double> byRate = new LinkedHashMap<>();
    double best = Double.NaN;
    for (double rate : budget.rates()) {
      double mean =
          runs.getOrDefault(standard(rate), List.of()).stream()
              .filter(r -> !r.failed())
              .mapToDouble(SmallDataStudy::finalValidationAccuracy)
              .average()
              .orElse(Double.NaN);
      byRate.put(rate, mean);
      if (!Double.isNaN(mean) && (Double.isNaN(best) || mean > byRate.get(best))) {
        best = rate;
      }
    }
    return new Arm(title, label, examples, seeds.size(), runs, best, byRate, design);
  }

  /** The validation accuracy of the model a run ended with (the one its test accuracy is of). */
  static double finalValidationAccuracy(Comparison.Run run) {
    EpochRecord last = run.history().get(run.history().size() - 1);
    return last.validationAccuracy() == null ? Double.NaN : last.validationAccuracy();
  }

  /**
   * Fashion-MNIST with its training set cut to {@code examples} images, each class in its share
   * (stratified; Fashion-MNIST's classes are equal), drawn by {@code seed}; the test set stays
   * whole.
   */
  static ClassificationData subset(ClassificationData fashion, int examples, long seed) {
    Dataset all = fashion.train();
    Dataset drawn =
        examples >= all.size()
            ? all
            : DataSpec.stratifiedSplit(all, (double) examples / all.size(), seed)[1];
    return new ClassificationData(
        drawn,
        fashion.test(),
        fashion.description()
            + "; "
            + drawn.size()
            + " training images drawn by seed "
            + seed
            + " (stratified)",
        fashion.classNames(),
        fashion.shape(),
        fashion.preprocessing(),
        null);
  }

  /**
   * A table with its test split (20%, stratified) drawn by {@code seed}, standardised on its
   * training rows.
   */
  static ClassificationData tableSplit(Table table, long seed) throws IOException {
    return new DataSpec(table.source(), null, DataSpec.DEFAULT_TEST_FRACTION, seed, null, null)
        .load();
  }
}
