package dev.dropwise.report;

import dev.dropwise.analysis.ImportanceProfile;
import dev.dropwise.analysis.Robustness;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.experiments.RateSweep;
import dev.dropwise.report.ReproductionPlan.Budget;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reproduction report's Markdown, section by section, from results already computed (and the
 * charts' image links): renders only, no training, no files.
 */
final class ReproductionPage {
  private ReproductionPage() {}

  /** Sector size of the rate sweep's sector-wise dropout (the Table 2 analogue's n). */
  static final int SWEEP_SECTOR = 8;

  /** What a partial report says in place of the sections that train models of their own. */
  static final String NOT_IN_A_PARTIAL_REPORT =
      "\n## Importance profiles, robustness curves, rate sweep\n\nNot in a partial report: they train models of their own.\n";

  /** The title, the command that wrote the report, and how to read its numbers. */
  static String header(String command, Budget budget, ClassificationData data) {
    return new StringBuilder(ReproductionReport.TITLE)
        .append("\nWritten by `")
        .append(command)
        .append("` (budget **")
        .append(budget.name())
        .append("**). Data: ")
        .append(data.description())
        .append(".\n\n")
        .append(
            "Every accuracy is on the test set with dropout off; ± is the sample standard deviation over seeds. ")
        .append("The numbers are what came out, whichever method they favour.\n")
        .toString();
  }

  /** What a partial report has: {@code finished} of the {@code planned} Table 2 trainings. */
  static String partialNote(int finished, int planned) {
    return new StringBuilder(
            "\n**Partial report**: written from the trainings finished so far, training nothing: ")
        .append(finished)
        .append(" of ")
        .append(planned)
        .append(
            " Table 2 trainings. Methods and architectures with no finished training are absent; a mean over fewer ")
        .append(
            "seeds than the budget's says so in its runs column. The run in progress resumes with the same command without `--partial`.\n")
        .toString();
  }

  /** The Table 2 analogue: its training, the table, its chart and the verdicts. */
  static String table2(
      Budget budget, List<Comparison.Summary> table, String chart, List<Comparison.Run> runs) {
    return new StringBuilder(
            "\n## Table 2 analogue\n\nSGD with momentum 0.9, lr 0.01, batch 64, 10% validation split, at most ")
        .append(budget.maxEpochs())
        .append(" epochs")
        .append(
            budget.patience() > 0
                ? ", early stopping on validation loss with patience " + budget.patience()
                : "")
        .append(", seeds ")
        .append(budget.seeds())
        .append(budget.limit() == null ? "" : ", first " + budget.limit() + " training examples")
        .append(".\n\n")
        .append(SummaryTables.markdown(table))
        .append(chart)
        .append(
            "\nEach method against standard dropout on the same architecture, paired by seed (a seed fixes the initial ")
        .append(
            "weights, the validation split and the example order for every method), with a two-sided paired t-test; ")
        .append("a difference is called significant when its p, with Holm's correction over the ")
        .append("comparisons below, is < ")
        .append(PairedDifference.LEVEL)
        .append(".\n")
        .append(verdicts(runs))
        .toString();
  }

  /** The official LRP-guided notebook's setting on {@code widths}. */
  static String official(Budget budget, String widths, List<Comparison.Summary> table) {
    return new StringBuilder("\n## The official LRP-guided notebook's setting\n\n")
        .append(widths)
        .append(", Adam lr 1e-3, batch 64, ")
        .append(budget.officialEpochs())
        .append(budget.officialEpochs() == 1 ? " epoch" : " epochs")
        .append(", seeds ")
        .append(budget.seeds())
        .append(".\n\n")
        .append(table.isEmpty() ? "No finished training yet.\n" : SummaryTables.markdown(table))
        .toString();
  }

  /** Y-Drop Fig. 2: each model's importance profile, on {@code examples} validation examples. */
  static String profiles(
      ClassificationData data,
      Budget budget,
      int examples,
      List<ImportanceProfile> profiles,
      String chart) {
    StringBuilder md =
        new StringBuilder("\n## Importance profiles (Y-Drop Fig. 2)\n\nOne model per method, ")
            .append(analysisLabel(data, budget))
            .append("; mean |conductance| (16 steps) per hidden unit on ")
            .append(examples)
            .append(" validation ")
            .append(examples(data))
            .append(
                ", sorted, and the cumulative share; total: the layer's summed mean |conductance|, ")
            .append("and its ratio to the model trained without dropout.\n\n")
            .append(
                "| method | total | vs none | top 20% | top 40% | top 60% | top 80% |\n|---|---|---|---|---|---|---|\n");
    double plainTotal =
        profiles.stream()
            .filter(p -> p.trainedWith().equals("none"))
            .findFirst()
            .orElseThrow()
            .total(0);
    for (ImportanceProfile p : profiles) {
      md.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %.4f | %.2fx | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n",
              p.trainedWith(),
              p.total(0),
              p.total(0) / plainTotal,
              100 * p.shareOfTop(0, 0.2),
              100 * p.shareOfTop(0, 0.4),
              100 * p.shareOfTop(0, 0.6),
              100 * p.shareOfTop(0, 0.8)));
    }
    return md.append(chart).toString();
  }

  /** Y-Drop Fig. 3: the robustness curves on {@code examples} test examples. */
  static String robustness(
      ClassificationData data,
      Budget budget,
      int examples,
      Map<String, List<Robustness.Point>> curves,
      String chart) {
    return new StringBuilder("\n## Robustness (Y-Drop Fig. 3)\n\nTest accuracy on ")
        .append(examples)
        .append(" ")
        .append(examples(data))
        .append(
            " while a fraction of the hidden units is removed at inference: at random (mean ± std over ")
        .append(budget.repeats())
        .append(" draws) and most important (by conductance) first.\n\n")
        .append(robustnessTable(curves))
        .append(chart)
        .toString();
  }

  /** The rate sweep of standard and sector-wise dropout. */
  static String sweep(
      ClassificationData data, Budget budget, List<RateSweep.Point> sweep, String chart) {
    return new StringBuilder("\n## Rate sweep\n\n")
        .append(architectureLabel(data, budget))
        .append(", ")
        .append(budget.sweepEpochs())
        .append(budget.sweepEpochs() == 1 ? " epoch" : " epochs")
        .append(", seeds ")
        .append(budget.sweepSeeds())
        .append("; sector-wise with sectors of ")
        .append(SWEEP_SECTOR)
        .append(". Sector-wise dropout drops exactly round(rate·")
        .append(SWEEP_SECTOR)
        .append(") units of every ")
        .append(SWEEP_SECTOR)
        .append(
            ", so rates that round to the same count train the same models; the dropped column gives the share of units a mask drops.")
        .append("\n\n")
        .append(sweepTable(sweep))
        .append(chart)
        .toString();
  }

  /**
   * The robustness curves as one table: per fraction removed, each model's accuracy at random (±
   * std) and most important first.
   */
  static String robustnessTable(Map<String, List<Robustness.Point>> curves) {
    StringBuilder md = new StringBuilder("| fraction removed |");
    curves
        .keySet()
        .forEach(
            m ->
                md.append(" `")
                    .append(m)
                    .append("` random | `")
                    .append(m)
                    .append("` important first |"));
    md.append("\n|---|").append("---|---|".repeat(curves.size())).append('\n');
    for (int i = 0; i < Robustness.fractions().length; i++) {
      md.append(String.format(Locale.ROOT, "| %.2f |", Robustness.fractions()[i]));
      for (List<Robustness.Point> curve : curves.values()) {
        Robustness.Point p = curve.get(i);
        md.append(
            String.format(
                Locale.ROOT,
                " %.3f ± %.3f | %.3f |",
                p.randomMean(),
                p.randomStd(),
                p.importantFirst()));
      }
      md.append('\n');
    }
    return md.toString();
  }

  /**
   * The rate sweep's table, with the share of units each mask really drops ({@link
   * RateSweep.Point#dropped}).
   */
  static String sweepTable(List<RateSweep.Point> sweep) {
    StringBuilder table =
        new StringBuilder(
            "| method | rate | dropped | test accuracy | test loss |\n|---|---|---|---|---|\n");
    for (RateSweep.Point p : sweep) {
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.3f | %.4f ± %.4f | %.4f ± %.4f |%n",
              p.method(),
              p.rate(),
              p.dropped(),
              p.accuracyMean(),
              p.accuracyStd(),
              p.lossMean(),
              p.lossStd()));
    }
    return table.toString();
  }

  /** What the data's examples are called in the report's prose. */
  private static String examples(ClassificationData data) {
    return data.images() ? "images" : "examples";
  }

  private static String analysisLabel(ClassificationData data, Budget budget) {
    return architectureLabel(data, budget) + ", " + budget.analysisEpochs() + " epochs, seed 1";
  }

  private static String architectureLabel(ClassificationData data, Budget budget) {
    return data.train().featureCount()
        + "-"
        + String.join("-", budget.analysisLayers().stream().map(String::valueOf).toList())
        + "-"
        + data.train().classCount();
  }

  /**
   * Every method against standard dropout (p = 0.5) on its architecture ({@link PairedDifference}).
   */
  static String verdicts(List<Comparison.Run> runs) {
    return "\n" + PairedDifference.verdicts("standard:p=0.5", "standard dropout", runs);
  }

  /** A Markdown image of the PNG among {@code files}, relative to the report. */
  static String image(List<Path> files, Path report, String alt) {
    return files.stream()
        .filter(p -> p.toString().endsWith(".png"))
        .findFirst()
        .map(
            p ->
                "\n!["
                    + alt
                    + "]("
                    + report.toAbsolutePath().getParent().relativize(p.toAbsolutePath())
                    + ")\n")
        .orElse("");
  }
}
