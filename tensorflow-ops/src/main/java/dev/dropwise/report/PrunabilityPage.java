package dev.dropwise.report;

import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.Holm;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.report.PrunabilityPlan.Budget;
import dev.dropwise.report.PrunabilityStudy.Arm;
import dev.dropwise.report.PrunabilityStudy.CurvePoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The prunability section's Markdown and charts, from runs already made: the design; per size the
 * unpruned networks, per ranking each training's test accuracy at each share kept (as pruned and
 * fine-tuned) and its paired difference to standard dropout with Holm's correction over the whole
 * section; the smallest share kept within a point and the verdict ({@link PrunabilityVerdict}); a
 * chart per size.
 */
final class PrunabilityPage {
  private PrunabilityPage() {}

  static String design(Budget budget) {
    StringBuilder md =
        new StringBuilder(
            "Where knowing which units matter pays is in removing units. This section asks which training "
                + "leaves a network that can lose the most units, and which ranking finds them.\n\n");
    md.append("- **Data**: Fashion-MNIST; training subsets of ")
        .append(
            budget.sizes().stream()
                .map(
                    s ->
                        String.format(
                            Locale.ROOT, "%,d (%d seeds)", s.examples(), s.seeds().size()))
                .collect(Collectors.joining(" and ")))
        .append(
            " images (stratified, drawn by the seed; all of them where there are no more); measured on the "
                + "whole test set.\n")
        .append("- **Model and training**: hidden layers ")
        .append(budget.hidden())
        .append(
            ", ReLU; SGD with momentum 0.9, lr 0.01, batch 64, 10% of the training set for validation and "
                + "early stopping:\n");
    for (StudySize s : budget.sizes()) {
      md.append(
          String.format(
              Locale.ROOT,
              "  - at %,d images at most %d epochs with patience %d; standard dropout at rate %s (%s).%n",
              s.examples(),
              s.maxEpochs(),
              s.patience(),
              s.rate(),
              s.why()));
    }
    md.append(
            String.format(
                Locale.ROOT,
                "- **Pruning** (`dropwise prune`): each trained network pruned to %s of every hidden layer's "
                    + "units, ranked by %s (an importance measure by each unit's mean |score| on the first %,d "
                    + "validation images; magnitude by the norm of its incoming weights), as pruned and after "
                    + "%d epoch(s) of fine-tuning from the pruned weights with the network's own dropout and "
                    + "the same optimiser.%n",
                budget.shares().stream()
                    .map(v -> String.format(Locale.ROOT, "%.0f%%", 100 * v))
                    .collect(Collectors.joining(", ")),
                budget.rankings().stream()
                    .map(r -> "`" + r + "`")
                    .collect(Collectors.joining(", ")),
                budget.rankedOn(),
                budget.fineTuneEpochs()))
        .append(
            "- **Statistics**: mean ± half-width of the 95% CI over the seeds; each training against standard "
                + "dropout of the same seed (same subset), paired, at the same ranking, share and fine-tuning, "
                + "with Holm's correction over every comparison of the section; **bold**: significant after "
                + "it (Holm p < ")
        .append(PairedDifference.LEVEL)
        .append(").\n")
        .append(
            String.format(
                Locale.ROOT,
                "- **The question**: at equal accuracy loss — a mean test accuracy at most %.0f point below "
                    + "the unpruned standard-dropout network's — which training and which ranking leave the "
                    + "smallest network?%n",
                100 * PrunabilityVerdict.LOSS));
    return md.toString();
  }

  static String results(List<Arm> arms, Budget budget, Path report, ChartWriter charts)
      throws IOException {
    Map<String, PairedDifference> differences = new LinkedHashMap<>();
    for (Arm arm : arms) {
      List<PrunabilityRun> base = arm.runs().get(arm.baseline());
      for (String method : arm.runs().keySet()) {
        if (base == null || method.equals(arm.baseline())) {
          continue;
        }
        for (Column c : columns(budget)) {
          PairedDifference d =
              PairedDifference.bySeed(bySeed(arm.runs().get(method), c), bySeed(base, c));
          if (d.seeds() > 0) {
            differences.put(key(arm, method, c), d);
          }
        }
      }
    }
    Map<String, Double> holm = Holm.adjust(differences);
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%nHolm's correction runs over the %d tests below.%n",
                Holm.tests(differences)));
    Path images = ReproductionReport.chartFolder(report);
    for (Arm arm : arms) {
      md.append(String.format(Locale.ROOT, "%n### %,d training images%n%n", arm.size().examples()));
      if (arm.runs().isEmpty()) {
        md.append("Not measured yet.\n");
        continue;
      }
      md.append(unpruned(arm)).append(failedCuts(arm));
      for (String ranking : budget.rankings()) {
        md.append(rankingTable(arm, budget, ranking, differences, holm));
      }
      md.append(PrunabilityVerdict.smallest(arm, budget))
          .append(PrunabilityVerdict.verdict(arm, budget, differences, holm));
      String name = "prunability-" + arm.size().examples();
      md.append(
          ReproductionPage.image(
              charts.prunability(
                  curve(arm, budget),
                  String.format(
                      Locale.ROOT,
                      "test accuracy against the share of hidden units kept, %,d training images",
                      arm.size().examples()),
                  images,
                  name),
              report,
              "prunability at " + arm.size().examples()));
    }
    return md.toString();
  }

  /** A column of a ranking's table: a share kept, pruned as it is or fine-tuned. */
  record Column(String ranking, double keep, int fineTuneEpochs) {
    String heading() {
      return keep + (fineTuneEpochs == 0 ? "" : ", tuned");
    }

    double value(PrunabilityRun run) {
      PrunabilityRun.Cut cut = run.cut(ranking, keep, fineTuneEpochs);
      return cut == null ? Double.NaN : cut.accuracy();
    }
  }

  private static List<Column> columns(Budget budget) {
    List<Column> out = new ArrayList<>();
    for (String ranking : budget.rankings()) {
      out.addAll(columns(budget, ranking));
    }
    return out;
  }

  static List<Column> columns(Budget budget, String ranking) {
    List<Column> out = new ArrayList<>();
    for (double keep : budget.shares()) {
      out.add(new Column(ranking, keep, 0));
      out.add(new Column(ranking, keep, budget.fineTuneEpochs()));
    }
    return out;
  }

  private static String unpruned(Arm arm) {
    StringBuilder md =
        new StringBuilder(
            "Unpruned:\n\n| training | runs | epochs | parameters | test accuracy |\n|---|---|---|---|---|\n");
    arm.runs()
        .forEach(
            (method, runs) -> {
              List<PrunabilityRun> done = done(runs);
              md.append(
                  String.format(
                      Locale.ROOT,
                      "| `%s` | %d%s | %.0f | %,d | %s |%n",
                      method,
                      done.size(),
                      runs.size() > done.size()
                          ? " (" + (runs.size() - done.size()) + " failed)"
                          : "",
                      done.stream().mapToInt(PrunabilityRun::epochs).average().orElse(Double.NaN),
                      done.isEmpty() ? 0 : done.get(0).parameters(),
                      StudyCells.meanAndHalfWidth(values(done, PrunabilityRun::accuracy))));
            });
    return md.toString();
  }

  /** The cuts that failed alone (their runs stand), a line each; nothing when none did. */
  private static String failedCuts(Arm arm) {
    StringBuilder md = new StringBuilder();
    arm.runs()
        .forEach(
            (method, runs) ->
                done(runs).stream()
                    .filter(r -> r.failedCuts() != null)
                    .forEach(
                        r ->
                            r.failedCuts()
                                .forEach(
                                    cut ->
                                        md.append(
                                            String.format(
                                                Locale.ROOT,
                                                "%nFailed: `%s` seed %d, %s%n",
                                                method,
                                                r.seed(),
                                                cut)))));
    return md.toString();
  }

  private static String rankingTable(
      Arm arm,
      Budget budget,
      String ranking,
      Map<String, PairedDifference> differences,
      Map<String, Double> holm) {
    List<Column> columns = columns(budget, ranking);
    StringBuilder md =
        new StringBuilder(
            "\nPruned by `"
                + ranking
                + "`: test accuracy at each share kept; below, the difference to `"
                + arm.baseline()
                + "` (Holm p).\n\n| training |");
    columns.forEach(c -> md.append(' ').append(c.heading()).append(" |"));
    md.append("\n|---|").append("---|".repeat(columns.size())).append('\n');
    arm.runs()
        .forEach(
            (method, runs) -> {
              md.append("| `").append(method).append("` |");
              for (Column c : columns) {
                md.append(' ')
                    .append(StudyCells.meanAndHalfWidth(values(done(runs), c::value)))
                    .append(" |");
              }
              md.append('\n');
            });
    for (String method : arm.runs().keySet()) {
      if (method.equals(arm.baseline())) {
        continue;
      }
      md.append(
          StudyCells.differenceRow(
              "Δ `" + method + "`",
              columns.stream().map(c -> key(arm, method, c)).toList(),
              differences,
              holm));
    }
    return md.toString();
  }

  private static List<CurvePoint> curve(Arm arm, Budget budget) {
    List<CurvePoint> points = new ArrayList<>();
    arm.runs()
        .forEach(
            (method, runs) -> {
              List<PrunabilityRun> done = done(runs);
              double[] unpruned = values(done, PrunabilityRun::accuracy);
              for (Column c : columns(budget)) {
                double[] v = values(done, c::value);
                if (v.length == 0) {
                  continue;
                }
                boolean tuned = c.fineTuneEpochs() > 0;
                if (c.keep() == budget.shares().get(0)) {
                  points.add(
                      new CurvePoint(
                          method,
                          c.ranking(),
                          1,
                          tuned,
                          Comparison.mean(unpruned),
                          PairedDifference.halfWidth(unpruned)));
                }
                points.add(
                    new CurvePoint(
                        method,
                        c.ranking(),
                        c.keep(),
                        tuned,
                        Comparison.mean(v),
                        PairedDifference.halfWidth(v)));
              }
            });
    return points;
  }

  static String key(Arm arm, String method, Column c) {
    return arm.size().label()
        + "|`"
        + method
        + "`|`"
        + c.ranking()
        + "` keeping "
        + c.keep()
        + (c.fineTuneEpochs() == 0 ? "" : " fine-tuned");
  }

  /** A training's accuracies at one column by seed. */
  private static Map<Long, Double> bySeed(List<PrunabilityRun> runs, Column c) {
    Map<Long, Double> values = new LinkedHashMap<>();
    for (PrunabilityRun r : done(runs)) {
      double v = c.value(r);
      if (!Double.isNaN(v)) {
        values.put(r.seed(), v);
      }
    }
    return values;
  }

  static List<PrunabilityRun> done(List<PrunabilityRun> runs) {
    return runs.stream().filter(r -> !r.failed()).toList();
  }

  static double[] values(List<PrunabilityRun> runs, ToDoubleFunction<PrunabilityRun> value) {
    return runs.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).toArray();
  }
}
