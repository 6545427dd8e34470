package dev.dropwise.report;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.report.FaithfulnessPlan.Budget;
import dev.dropwise.report.FaithfulnessPlan.Model;
import dev.dropwise.train.ProgressListener;
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
 * The report's faithfulness section: which explanation is the model's? Each model of the plan is
 * trained on each seed, then every input attribution is measured by pixel flipping and the
 * randomisation check and every hidden-unit measure by unit flipping. Each finished model's
 * measures are kept, so the section resumes and a rerun trains nothing new.
 */
public final class FaithfulnessStudy {
  private FaithfulnessStudy() {}

  static final String BEGIN = "<!-- faithfulness: begin -->";
  static final String END = "<!-- faithfulness: end -->";

  /** The section between its markers. */
  static final MarkedSection SECTION = new MarkedSection(BEGIN, END);

  /**
   * One model's runs over the seeds, and the second part's: the methods and measures retrained
   * ({@link MeasureSwap}) and their runs by method text.
   */
  record Arm(
      Model model,
      List<FaithfulnessRun> runs,
      List<MeasureSwap.Choice> swaps,
      Map<String, List<RetrainedRun>> retrained) {}

  /** What a model's kept second-part runs were made with. */
  record RetrainSettings(String data, String layers, int examples, int maxEpochs, int patience) {
    static RetrainSettings of(ClassificationData fashion, Budget budget, Model model) {
      Settings s = Settings.of(fashion, budget, model);
      return new RetrainSettings(s.data(), s.layers(), s.examples(), s.maxEpochs(), s.patience());
    }
  }

  /** Where a model's second-part runs are kept, inside its first part's. */
  static Path retrainedDir(Path runsDir, Model model) {
    return runsDir.resolve(model.name()).resolve("retrained");
  }

  /** What a model's kept runs were made with ({@link KeptRuns}). */
  record Settings(
      String data,
      String layers,
      String method,
      int examples,
      int maxEpochs,
      int patience,
      int explained,
      int steps,
      List<String> attributions,
      List<String> units) {

    static Settings of(ClassificationData fashion, Budget budget, Model model) {
      return new Settings(
          model.fashion() ? fashion.description() : model.source(),
          model.layers(),
          budget.method(),
          model.fashion() ? budget.examples() : 0,
          budget.maxEpochs(),
          budget.patience(),
          budget.explained(),
          budget.steps(),
          budget.attributions(),
          budget.units());
    }
  }

  /** The training data of {@code model} on {@code seed}: a Fashion-MNIST subset or a table. */
  private static ClassificationData data(
      ClassificationData fashion, Budget budget, Model model, long seed) throws IOException {
    return model.fashion()
        ? SmallDataStudy.subset(fashion, budget.examples(), seed)
        : SmallDataStudy.tableSplit(
            new SmallDataPlan.Table(model.name(), model.source(), List.of(), model.why()), seed);
  }

  /**
   * Refuses, before any work, a report that cannot be written and runs directories that are neither
   * new, empty, nor dropwise's.
   */
  public static void checkOutputs(Budget budget, Path report, Path runsDir) {
    ReproductionReport.checkReport(report);
    for (Model model : budget.models()) {
      OutputDirectories.check("runs directory", runsDir.resolve(model.name()));
    }
  }

  /**
   * Runs the section on {@code fashion} (Fashion-MNIST) and the plan's tables, and writes it into
   * {@code report} in place of its earlier version (appended when it has none); {@code partial}:
   * train nothing, write what is kept.
   */
  public static void write(
      ClassificationData fashion,
      Budget budget,
      Path report,
      Path runsDir,
      String command,
      BiFunction<String, Long, ProgressListener> progress,
      PrintStream log,
      boolean partial)
      throws IOException {
    checkOutputs(budget, report, runsDir);
    Map<Model, KeptRuns> keptByModel =
        KeptRuns.checked(
            budget.models(),
            model ->
                new KeptRuns(runsDir.resolve(model.name()), Settings.of(fashion, budget, model)));
    Map<Model, KeptRuns> retrainedByModel =
        KeptRuns.checked(
            budget.models(),
            model ->
                new KeptRuns(
                    retrainedDir(runsDir, model), RetrainSettings.of(fashion, budget, model)));
    List<Arm> arms = new ArrayList<>();
    for (Model model : budget.models()) {
      KeptRuns kept = keptByModel.get(model);
      Map<String, List<FaithfulnessRun>> runs = new LinkedHashMap<>();
      for (long seed : budget.seeds()) {
        ClassificationData data = data(fashion, budget, model, seed);
        kept.collect(
            model.name(),
            seed,
            FaithfulnessRun.class,
            partial,
            FaithfulnessRun::failed,
            () -> {
              log.printf(
                  Locale.ROOT,
                  "faithfulness: %s, seed %d, %,d training examples%n",
                  model.name(),
                  seed,
                  data.train().size());
              return FaithfulnessRun.of(
                  model, budget, seed, data, progress.apply(model.name(), seed));
            },
            runs);
      }
      List<FaithfulnessRun> measured = runs.getOrDefault(model.name(), List.of());
      // The second part chooses its measures from the first part's finished runs.
      List<MeasureSwap.Choice> swaps = MeasureSwap.choices(budget.retrain(), measured);
      KeptRuns keptSwaps = retrainedByModel.get(model);
      Map<String, List<RetrainedRun>> retrained = new LinkedHashMap<>();
      for (long seed : budget.seeds()) {
        ClassificationData data = data(fashion, budget, model, seed);
        for (MeasureSwap.Choice swap : swaps) {
          keptSwaps.collect(
              swap.method(),
              seed,
              RetrainedRun.class,
              partial,
              RetrainedRun::failed,
              () -> {
                log.printf(
                    Locale.ROOT,
                    "faithfulness: %s, seed %d, retrained with %s%n",
                    model.name(),
                    seed,
                    swap.method());
                return RetrainedRun.of(
                    model, swap.method(), budget, seed, data, progress.apply(model.name(), seed));
              },
              retrained);
        }
      }
      arms.add(new Arm(model, measured, swaps, retrained));
    }
    String md =
        BEGIN
            + "\n## Faithfulness: which explanation is the model's?\n\n"
            + "Written by `"
            + command
            + "` (budget **"
            + budget.name()
            + "**).\n\n"
            + FaithfulnessPage.design(budget)
            + FaithfulnessPage.results(arms, budget)
            + END
            + "\n";
    SECTION.replaceIn(report, md, ReproductionReport.TITLE);
  }
}
