package dev.dropwise.report;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.report.PrunabilityPlan.Budget;
import dev.dropwise.train.ProgressListener;
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
 * The report's prunability section: which training makes a network prunable? Every training of the
 * plan, at each size and seed, is pruned by each ranking to each share of its hidden units, as it
 * is and after fine-tuning, and measured on the test set. Each finished network's measures are
 * kept, so the section resumes and a rerun trains nothing new.
 */
public final class PrunabilityStudy {
  private PrunabilityStudy() {}

  static final String BEGIN = "<!-- prunability: begin -->";
  static final String END = "<!-- prunability: end -->";

  /** The section between its markers. */
  static final MarkedSection SECTION = new MarkedSection(BEGIN, END);

  /** The share of each training set held out for validation, early stopping and the rankings. */
  static final double VALIDATION = 0.1;

  /**
   * One training's mean test accuracy (± the half-width of its 95% CI) at one share kept, pruned by
   * one ranking, fine-tuned or not; share 1 is the network unpruned. For a chart.
   */
  public record CurvePoint(
      String method,
      String ranking,
      double keep,
      boolean fineTuned,
      double mean,
      double halfWidth) {}

  /** The runs of one size, by method, in the plan's order. */
  record Arm(StudySize size, String baseline, Map<String, List<PrunabilityRun>> runs) {}

  /** What a size's kept runs were made with ({@link KeptRuns}). */
  record Settings(
      String data,
      List<Integer> hidden,
      int examples,
      double rate,
      int maxEpochs,
      int patience,
      List<String> rankings,
      List<Double> shares,
      int fineTuneEpochs,
      int rankedOn) {

    static Settings of(ClassificationData fashion, Budget budget, StudySize size) {
      return new Settings(
          fashion.description(),
          budget.hidden(),
          size.examples(),
          size.rate(),
          size.maxEpochs(),
          size.patience(),
          budget.rankings(),
          budget.shares(),
          budget.fineTuneEpochs(),
          budget.rankedOn());
    }
  }

  /**
   * Refuses, before any work, a report that cannot be written and runs directories that are neither
   * new, empty, nor dropwise's.
   */
  public static void checkOutputs(Budget budget, Path report, Path runsDir) {
    KeptRuns.checkOutputs(budget.sizes(), report, runsDir);
  }

  /**
   * Runs the section on {@code fashion} (Fashion-MNIST) and writes it into {@code report} in place
   * of its earlier version (appended when it has none); {@code partial}: train nothing, write what
   * is kept.
   */
  public static void write(
      ClassificationData fashion,
      Budget budget,
      Path report,
      Path runsDir,
      String command,
      ChartWriter charts,
      BiFunction<String, Long, ProgressListener> progress,
      PrintStream log,
      boolean partial)
      throws IOException {
    PrunabilityPlan.check(budget);
    checkOutputs(budget, report, runsDir);
    Map<StudySize, KeptRuns> keptBySize =
        KeptRuns.checked(
            budget.sizes(),
            size ->
                new KeptRuns(runsDir.resolve(size.label()), Settings.of(fashion, budget, size)));
    Dataset test = fashion.unscaledTest();
    List<Arm> arms = new ArrayList<>();
    for (StudySize size : budget.sizes()) {
      KeptRuns kept = keptBySize.get(size);
      Map<String, List<PrunabilityRun>> runs = new LinkedHashMap<>();
      for (long seed : size.seeds()) {
        ClassificationData data = SmallDataStudy.subset(fashion, size.examples(), seed);
        for (String method : budget.methods(size)) {
          kept.collect(
              method,
              seed,
              PrunabilityRun.class,
              partial,
              PrunabilityRun::failed,
              () -> {
                log.printf(
                    Locale.ROOT,
                    "prunability: %s, seed %d, %,d training images%n",
                    method,
                    seed,
                    data.train().size());
                return PrunabilityRun.of(
                    method,
                    budget,
                    seed,
                    data,
                    size.config(),
                    VALIDATION,
                    test,
                    progress.apply(method, seed));
              },
              runs);
        }
      }
      arms.add(new Arm(size, budget.baseline(size), runs));
    }
    String md =
        BEGIN
            + "\n## Prunability: which training makes a network prunable?\n\n"
            + "Written by `"
            + command
            + "` (budget **"
            + budget.name()
            + "**).\n\n"
            + PrunabilityPage.design(budget)
            + PrunabilityPage.results(arms, budget, report, charts)
            + END
            + "\n";
    SECTION.replaceIn(report, md, ReproductionReport.TITLE);
  }
}
