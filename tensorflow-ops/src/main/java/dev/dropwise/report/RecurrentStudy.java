package dev.dropwise.report;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.experiments.Holm;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.report.RecurrentPlan.Arm;
import dev.dropwise.report.RecurrentPlan.Budget;
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
 * The report's recurrent section: which dropout helps an LSTM? Each arm of the plan (no dropout,
 * standard dropout on the inputs, variational dropout, zoneout, Y-Drop on the state over time) is
 * trained on sequential Fashion-MNIST on each seed; each is compared with the baseline, and the
 * plan's further pairs with each other, paired by seed with Holm's correction over the section.
 * Finished runs are kept, so the section resumes and a rerun trains nothing new.
 */
public final class RecurrentStudy {
  private RecurrentStudy() {}

  static final String BEGIN = "<!-- recurrent: begin -->";
  static final String END = "<!-- recurrent: end -->";

  /** The section between its markers. */
  static final MarkedSection SECTION = new MarkedSection(BEGIN, END);

  /** What the kept runs were made with ({@link KeptRuns}). */
  record Settings(
      String data,
      List<String> layers,
      int examples,
      int maxEpochs,
      int patience,
      int batch,
      double lr) {
    static Settings of(ClassificationData fashion, Budget budget) {
      return new Settings(
          fashion.description(),
          budget.arms().stream().map(a -> a.layer(budget.units())).toList(),
          budget.examples(),
          budget.maxEpochs(),
          budget.patience(),
          budget.batch(),
          budget.lr());
    }
  }

  /**
   * Refuses, before any work, a report that cannot be written and a runs directory that is neither
   * new, empty, nor dropwise's.
   */
  public static void checkOutputs(Budget budget, Path report, Path runsDir) {
    ReproductionReport.checkReport(report);
    OutputDirectories.check("runs directory", runsDir);
  }

  /**
   * Runs the section on {@code fashion} and writes it into {@code report} in place of its earlier
   * version (appended when it has none); {@code partial}: train nothing, write what is kept.
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
    KeptRuns kept = new KeptRuns(runsDir, Settings.of(fashion, budget));
    kept.check();
    Map<String, List<RecurrentRun>> runs = new LinkedHashMap<>();
    for (long seed : budget.seeds()) {
      ClassificationData data = SmallDataStudy.subset(fashion, budget.examples(), seed);
      for (Arm arm : budget.arms()) {
        kept.collect(
            arm.name(),
            seed,
            RecurrentRun.class,
            partial,
            RecurrentRun::failed,
            () -> {
              log.printf(
                  Locale.ROOT,
                  "recurrent: %s, seed %d, %,d training sequences%n",
                  arm.name(),
                  seed,
                  data.train().size());
              return RecurrentRun.of(arm, budget, seed, data, progress.apply(arm.name(), seed));
            },
            runs);
      }
    }
    String md =
        BEGIN
            + "\n## Recurrent networks: which dropout helps an LSTM?\n\n"
            + "Written by `"
            + command
            + "` (budget **"
            + budget.name()
            + "**).\n\n"
            + design(budget, fashion)
            + results(budget, runs)
            + END
            + "\n";
    SECTION.replaceIn(report, md, ReproductionReport.TITLE);
  }

  static String design(Budget budget, ClassificationData fashion) {
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Each image of Fashion-MNIST read row by row, 28 steps of 28 pixels (sequential "
                    + "Fashion-MNIST): %s training images (a stratified subset drawn by the seed "
                    + "where fewer than all), %d%% of them held out for early stopping (patience %d, "
                    + "at most %d epochs), Adam (lr %s, batch %d), one LSTM of %d units and the 10 "
                    + "logits; seeds %s, the same seed drawing the same subset, split and initial "
                    + "weights for every arm. Test accuracy with dropout off (zoneout at its "
                    + "expectation), on the 10,000 test images. The arms:\n\n",
                budget.examples() >= fashion.train().size()
                    ? "all " + String.format(Locale.ROOT, "%,d", fashion.train().size())
                    : String.format(Locale.ROOT, "%,d", budget.examples()),
                Math.round(100 * RecurrentRun.VALIDATION),
                budget.patience(),
                budget.maxEpochs(),
                budget.lr(),
                budget.batch(),
                budget.units(),
                budget.seeds()));
    for (Arm arm : budget.arms()) {
      md.append("- **")
          .append(arm.name())
          .append("** (`")
          .append(arm.layer(budget.units()))
          .append("`): ")
          .append(arm.why())
          .append('\n');
    }
    return md.append('\n').toString();
  }

  /** The table of every arm, the paired differences with their Holm p-values, and the verdict. */
  static String results(Budget budget, Map<String, List<RecurrentRun>> runs) {
    StringBuilder md =
        new StringBuilder(
            "| arm | runs | test accuracy (95% CI) | test loss | epochs | seconds/run |\n"
                + "|---|---|---|---|---|---|\n");
    Map<String, Map<Long, Double>> accuracy = new LinkedHashMap<>();
    long finished = 0;
    for (Arm arm : budget.arms()) {
      List<RecurrentRun> done =
          runs.getOrDefault(arm.name(), List.of()).stream().filter(r -> !r.failed()).toList();
      finished += done.size();
      Map<Long, Double> bySeed = new LinkedHashMap<>();
      done.forEach(r -> bySeed.put(r.seed(), r.testAccuracy()));
      accuracy.put(arm.name(), bySeed);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %s | %s | %s |%n",
              arm.name(),
              done.size(),
              StudyCells.meanAndHalfWidth(
                  done.stream().mapToDouble(RecurrentRun::testAccuracy).toArray()),
              mean(done.stream().mapToDouble(RecurrentRun::testLoss).toArray(), "%.4f"),
              mean(done.stream().mapToDouble(RecurrentRun::epochs).toArray(), "%.1f"),
              mean(done.stream().mapToDouble(RecurrentRun::seconds).toArray(), "%.0f")));
    }
    Map<String, PairedDifference> differences = new LinkedHashMap<>();
    for (Arm arm : budget.arms()) {
      if (!arm.name().equals(budget.baseline())) {
        differences.put(
            arm.name() + " − " + budget.baseline(),
            PairedDifference.bySeed(accuracy.get(arm.name()), accuracy.get(budget.baseline())));
      }
    }
    for (List<String> pair : budget.pairs()) {
      differences.put(
          pair.get(1) + " − " + pair.get(0),
          PairedDifference.bySeed(accuracy.get(pair.get(1)), accuracy.get(pair.get(0))));
    }
    Map<String, Double> holm = Holm.adjust(differences);
    md.append(
        "\nPaired differences of test accuracy by seed (mean ± half-width of the 95% CI, Holm-"
            + "corrected p over the "
            + Holm.tests(differences)
            + " tests of this section; bold: significant at 0.05):\n\n"
            + "| difference | test accuracy |\n|---|---|\n");
    List<String> significant = new ArrayList<>();
    differences.forEach(
        (name, d) -> {
          md.append("| ")
              .append(name)
              .append(" | ")
              .append(StudyCells.difference(d, holm.get(name)))
              .append(" |\n");
          if (holm.get(name) < PairedDifference.LEVEL) {
            significant.add(String.format(Locale.ROOT, "%s (%+.4f)", name, d.meanPoints()));
          }
        });
    long planned = (long) budget.arms().size() * budget.seeds().size();
    boolean allEpochs =
        finished > 0
            && runs.values().stream()
                .flatMap(List::stream)
                .filter(r -> !r.failed())
                .allMatch(r -> r.epochs() == budget.maxEpochs());
    md.append(StudyCells.verdict(finished, planned))
        .append(
            significant.isEmpty()
                ? "no difference is significant after Holm's correction: on this task none of the "
                    + "ways to drop in an LSTM is shown to change its test accuracy, Y-Drop over time "
                    + "included.\n"
                : "significant after Holm's correction: "
                    + String.join("; ", significant)
                    + "; every other difference is not.\n")
        .append(
            allEpochs
                ? String.format(
                    Locale.ROOT,
                    "Every run trained all %d epochs: the budget ended training, not early "
                        + "stopping, so these are the methods at %d epochs; dropout usually pays "
                        + "later in training, and a longer budget could change the ranking.\n",
                    budget.maxEpochs(),
                    budget.maxEpochs())
                : "");
    return md.toString();
  }

  private static String mean(double[] values, String format) {
    return values.length == 0
        ? "—"
        : String.format(Locale.ROOT, format, java.util.Arrays.stream(values).average().orElse(0));
  }
}
