package dev.dropwise.report;

import dev.dropwise.analysis.UncertaintyEvaluation;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.HeldOutClasses;
import dev.dropwise.data.KnownClasses;
import dev.dropwise.data.Shift;
import dev.dropwise.report.UncertaintyPlan.Budget;
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
 * The report's uncertainty section: which dropout gives the most trustworthy uncertainty? Every
 * method is trained on Fashion-MNIST without two classes, at each size of the plan and each seed,
 * exported, and measured as Ovadia et al. (2019) measure: Monte Carlo dropout's NLL, ECE, AURC and
 * out-of-distribution AUROC on the held-out classes' test images, and accuracy and ECE on test
 * images shifted at the strongest severity; beside a dropout-free model and a deep ensemble of
 * dropout-free models. Each finished model's measures are kept, so the section resumes and a rerun
 * trains nothing new.
 */
public final class UncertaintyStudy {
  private UncertaintyStudy() {}

  static final String BEGIN = "<!-- uncertainty: begin -->";
  static final String END = "<!-- uncertainty: end -->";

  /** The section between its markers. */
  static final MarkedSection SECTION = new MarkedSection(BEGIN, END);

  /** The share of each training set held out for validation and early stopping. */
  static final double VALIDATION = 0.1;

  /** One method's mean of one measure at one size, ± the half-width of its 95% CI, for a chart. */
  public record MeasurePoint(String method, String size, double mean, double halfWidth) {}

  /** The runs of one size, by method label, in the plan's order; the ensemble last. */
  record Arm(StudySize size, String baseline, Map<String, List<UncertaintyRun>> runs) {}

  /**
   * Refuses, before any work, a report that cannot be written and runs directories that are neither
   * new, empty, nor dropwise's.
   */
  public static void checkOutputs(Budget budget, Path report, Path runsDir) {
    KeptRuns.checkOutputs(budget.sizes(), report, runsDir);
  }

  /**
   * Runs the section on {@code fashion} (Fashion-MNIST, every class) and writes it into {@code
   * report} in place of its earlier version (appended when it has none); {@code partial}: train
   * nothing, write what is kept.
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
    UncertaintyPlan.check(budget);
    checkOutputs(budget, report, runsDir);
    HeldOutClasses held =
        HeldOutClasses.of(
            UncertaintyPlan.HELD_OUT, KnownClasses.ofTrainingData(fashion.classNames()), "heldOut");
    ClassificationData known =
        new ClassificationData(
            held.without(fashion.train()),
            held.without(fashion.test()),
            fashion.description(),
            fashion.classNames(),
            fashion.shape(),
            fashion.preprocessing(),
            null);
    UncertaintyRun.TestSets sets = testSets(fashion.unscaledTest(), held, fashion.shape(), budget);
    Map<StudySize, KeptRuns> keptBySize =
        KeptRuns.checked(
            budget.sizes(),
            size ->
                new KeptRuns(runsDir.resolve(size.label()), Settings.of(fashion, budget, size)));
    List<Arm> arms = new ArrayList<>();
    for (StudySize size : budget.sizes()) {
      Map<String, List<UncertaintyRun>> runs = new LinkedHashMap<>();
      KeptRuns kept = keptBySize.get(size);
      for (long seed : size.seeds()) {
        ClassificationData data = SmallDataStudy.subset(known, size.examples(), seed);
        UncertaintyRun.Setting setting =
            new UncertaintyRun.Setting(
                data, sets, held.names(), size.config(), VALIDATION, budget.samples());
        List<String> labels = new ArrayList<>(budget.methods(size));
        labels.add(UncertaintyPlan.ENSEMBLE);
        for (String method : labels) {
          kept.collect(
              method,
              seed,
              UncertaintyRun.class,
              partial,
              UncertaintyRun::failed,
              () -> {
                log.printf(
                    Locale.ROOT,
                    "uncertainty: %s, seed %d, %,d training images%n",
                    method,
                    seed,
                    data.train().size());
                return UncertaintyRun.of(
                    method, budget, seed, setting, progress.apply(method, seed));
              },
              runs);
        }
      }
      arms.add(new Arm(size, budget.baseline(size), runs));
    }
    String md =
        BEGIN
            + "\n## Uncertainty: which dropout gives the most trustworthy uncertainty?\n\n"
            + "Written by `"
            + command
            + "` (budget **"
            + budget.name()
            + "**).\n\n"
            + UncertaintyPage.design(budget, held, sets)
            + UncertaintyPage.results(arms, budget, report, charts)
            + END
            + "\n";
    SECTION.replaceIn(report, md, ReproductionReport.TITLE);
  }

  /**
   * The test images the study measures on, unscaled as an export takes them: the first known ones,
   * the first of the held-out classes, and the first known ones under each shift at its strongest
   * severity, one after another.
   */
  static UncertaintyRun.TestSets testSets(
      Dataset test, HeldOutClasses held, List<Integer> shape, Budget budget) {
    Dataset known = held.without(test);
    Dataset shifted = null;
    for (Shift shift : Shift.values()) {
      Dataset one =
          shift.apply(
              known.head(budget.shiftedExamples()),
              shape,
              Shift.SEVERITIES,
              UncertaintyEvaluation.SHIFT_SEED);
      shifted = shifted == null ? one : shifted.concat(one);
    }
    return new UncertaintyRun.TestSets(
        known.head(budget.knownExamples()),
        held.only(test).head(budget.unknownExamples()),
        shifted);
  }

  /**
   * What a size's kept runs were made with, beside them ({@link KeptRuns}): runs made otherwise
   * (another data set, network, training, number of passes or test images) are never mixed in.
   */
  record Settings(
      String data,
      List<String> heldOut,
      List<Integer> hidden,
      int examples,
      double rate,
      int maxEpochs,
      int patience,
      int samples,
      int members,
      int knownExamples,
      int unknownExamples,
      int shiftedExamples) {

    static Settings of(ClassificationData fashion, Budget budget, StudySize size) {
      return new Settings(
          fashion.description(),
          UncertaintyPlan.HELD_OUT,
          budget.hidden(),
          size.examples(),
          size.rate(),
          size.maxEpochs(),
          size.patience(),
          budget.samples(),
          budget.members(),
          budget.knownExamples(),
          budget.unknownExamples(),
          budget.shiftedExamples());
    }
  }
}
