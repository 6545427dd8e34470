package dev.dropwise.report;

import static dev.dropwise.report.SmallDataPlan.STANDARD;
import static dev.dropwise.report.SmallDataPlan.VALIDATION;
import static dev.dropwise.report.SmallDataPlan.fashionLabel;
import static dev.dropwise.report.SmallDataPlan.standard;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.report.SmallDataPlan.Budget;
import dev.dropwise.report.SmallDataStudy.Arm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The small-data section's gap against training-set size: each method's difference to standard
 * dropout at p = 0.5 and at the tuned rate on every Fashion-MNIST subset, the full report's Table 2
 * runs giving the largest size, as a table and a chart.
 */
final class SmallDataGap {
  private SmallDataGap() {}

  /**
   * The chart: each method's difference to standard dropout at p = 0.5 against the training-set
   * size, with 95% CIs; the largest size from the full report's Table 2 runs when they are there.
   */
  static String section(
      List<Arm> arms,
      Budget budget,
      ClassificationData fashion,
      ReproductionPlan.Budget reportBudget,
      Path table2Runs,
      Path report,
      Path images,
      ChartWriter charts)
      throws IOException {
    List<SmallDataStudy.SizePoint> points = new ArrayList<>();
    // Keyed by the images trained on: the validation split leaves that many of each size.
    Map<Integer, Map<String, PairedDifference>> bySize = new LinkedHashMap<>();
    // The same against the rate the search chose on that subset; none for the Table 2 runs.
    Map<Integer, Map<String, PairedDifference>> byTuned = new LinkedHashMap<>();
    Map<Integer, Double> tunedRates = new LinkedHashMap<>();
    for (Arm arm : arms) {
      if (arm.label().equals(fashionLabel(arm.examples()))) {
        int n = trainedOn(arm.examples());
        bySize.put(
            n,
            PairedDifference.against(
                STANDARD, arm.runs().values().stream().flatMap(List::stream).toList()));
        if (arm.tuned() != null) {
          Map<String, PairedDifference> againstTuned = new LinkedHashMap<>();
          arm.runs()
              .forEach(
                  (method, runs) -> {
                    if (!method.equals(standard(arm.tunedRate()))) {
                      againstTuned.put(method, PairedDifference.of(runs, arm.tuned()));
                    }
                  });
          byTuned.put(n, againstTuned);
          tunedRates.put(n, arm.tunedRate());
        }
      }
    }
    Map<String, ModelSpec> table2 =
        ReproductionReport.table2Specs(fashion, List.of(budget.hidden()));
    List<Comparison.Run> full =
        Files.isDirectory(table2Runs)
            ? Comparison.finished(
                fashion,
                table2,
                reportBudget.seeds(),
                reportBudget.table2Config(),
                VALIDATION,
                reportBudget.limit(),
                table2Runs)
            : List.of();
    if (!full.isEmpty()) {
      // The Table 2 runs are labelled "method @ widths", on one architecture here.
      Map<String, PairedDifference> byMethod = new LinkedHashMap<>();
      PairedDifference.against(STANDARD, full)
          .forEach((label, d) -> byMethod.put(label.substring(0, label.indexOf(" @ ")), d));
      bySize.put(
          trainedOn(
              reportBudget.limit() == null
                  ? fashion.train().size()
                  : Math.min(reportBudget.limit(), fashion.train().size())),
          byMethod);
    }
    StringBuilder md =
        new StringBuilder(
                "\n### The gap against training-set size\n\nEach method's test accuracy minus ")
            .append(
                "standard dropout's at p = 0.5, and beside it minus standard dropout's at the rate the search chose on that subset (\"tuned\", its rate in the header); points, mean over paired seeds, 95% CI, on Fashion-MNIST with hidden layers ")
            .append(budget.hidden())
            .append("; ")
            .append("sizes are the images trained on (after the 10% validation split)");
    md.append(
        full.isEmpty()
            ? ".\n\n"
            : "; the largest size is the full report's Table 2 analogue (its runs, at most "
                + reportBudget.maxEpochs()
                + " epochs with patience "
                + reportBudget.patience()
                + ", no targeted dropout and no rate search).\n\n");
    List<Integer> sizes = new ArrayList<>(bySize.keySet());
    md.append("| method |");
    for (int n : sizes) {
      md.append(String.format(Locale.ROOT, " %,d vs p = 0.5 |", n));
      if (tunedRates.containsKey(n)) {
        md.append(String.format(Locale.ROOT, " %,d vs tuned (%.1f) |", n, tunedRates.get(n)));
      }
    }
    md.append("\n|---|").append("---|".repeat(sizes.size() + tunedRates.size())).append('\n');
    for (String method : budget.methods()) {
      boolean againstHalf = !method.equals(STANDARD);
      if (!againstHalf && byTuned.values().stream().noneMatch(t -> t.containsKey(method))) {
        continue;
      }
      md.append("| `").append(method).append("` |");
      for (int n : sizes) {
        PairedDifference d = againstHalf ? bySize.get(n).get(method) : null;
        md.append(SmallDataPage.cell(d));
        if (d != null) {
          points.add(
              new SmallDataStudy.SizePoint(
                  method,
                  n,
                  d.meanPoints(),
                  Double.isNaN(d.halfWidthPoints()) ? 0 : d.halfWidthPoints()));
        }
        if (tunedRates.containsKey(n)) {
          md.append(SmallDataPage.cell(byTuned.get(n).get(method)));
        }
      }
      md.append('\n');
    }
    if (!points.isEmpty()) {
      md.append(
          ReproductionPage.image(
              charts.differenceBySize(
                  points,
                  "test accuracy minus standard dropout's (p = 0.5)",
                  images,
                  "small-data-gap"),
              report,
              "accuracy difference to standard dropout against training-set size"));
    }
    return md.toString();
  }

  /**
   * How many of {@code examples} are trained on once the validation split holds out its share (as
   * {@code Dataset.split}).
   */
  private static int trainedOn(int examples) {
    return examples - (int) Math.round(VALIDATION * examples);
  }
}
