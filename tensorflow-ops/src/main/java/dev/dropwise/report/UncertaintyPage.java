package dev.dropwise.report;

import dev.dropwise.data.HeldOutClasses;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.Holm;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.report.UncertaintyPlan.Budget;
import dev.dropwise.report.UncertaintyStudy.Arm;
import dev.dropwise.report.UncertaintyStudy.MeasurePoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The uncertainty section's Markdown and charts, from runs already made: the design, per size a
 * table of every measure (mean and 95% CI over the seeds) and each method's paired differences to
 * standard Monte Carlo dropout with Holm's correction over the whole section, and a chart per
 * measure.
 */
final class UncertaintyPage {
  private UncertaintyPage() {}

  /**
   * A measure of the table: its key in a run's measures, its heading, which way is better, and
   * whether it is tested against the baseline (in Holm's family).
   */
  record Measure(String key, String heading, boolean higherIsBetter, boolean tested) {}

  static final List<Measure> MEASURES =
      List.of(
          new Measure("accuracy", "accuracy", true, false),
          new Measure("nll", "NLL", false, true),
          new Measure("ece", "ECE", false, true),
          new Measure("aurc", "AURC", false, true),
          new Measure("ood_auroc_entropy", "OOD AUROC (entropy)", true, true),
          new Measure("ood_auroc_mutual_information", "OOD AUROC (MI)", true, true),
          new Measure(UncertaintyRun.SHIFTED + "accuracy", "shifted accuracy", true, true),
          new Measure(UncertaintyRun.SHIFTED + "ece", "shifted ECE", false, true));

  static String design(Budget budget, HeldOutClasses held, UncertaintyRun.TestSets sets) {
    StringBuilder md =
        new StringBuilder(
            "Monte Carlo dropout is the other payoff users expect from dropout. This section asks which "
                + "method's uncertainty is most trustworthy, measured as Ovadia et al. (2019) measure it.\n\n");
    md.append("- **Data**: Fashion-MNIST without ")
        .append(held)
        .append(" in training; training subsets of ")
        .append(
            budget.sizes().stream()
                .map(
                    s ->
                        String.format(
                            Locale.ROOT, "%,d (%d seeds)", s.examples(), s.seeds().size()))
                .collect(Collectors.joining(" and ")))
        .append(
            " images of the other classes (stratified, drawn by the seed; all of them where there are no more).\n")
        .append(
            String.format(
                Locale.ROOT,
                "- **Measured on** the first %,d test images of the known classes; the first %,d of the held-out "
                    + "classes as the unknown inputs (out-of-distribution AUROC: how well a score ranks them above "
                    + "the known ones); and, for the shifted columns, the first %,d known test images under each of "
                    + "the five shifts (noise, blur, rotation, contrast, pixel shuffle) at its strongest severity, "
                    + "%,d images in all, measured as one pooled set.%n",
                sets.known().size(),
                sets.unknown().size(),
                budget.shiftedExamples(),
                sets.shifted().size()))
        .append("- **Model and training**: hidden layers ")
        .append(budget.hidden())
        .append(
            "; SGD with momentum 0.9, lr 0.01, batch 64, 10% of the training set for validation and early stopping:\n");
    for (StudySize s : budget.sizes()) {
      md.append(
          String.format(
              Locale.ROOT,
              "  - at %,d images at most %d epochs with patience %d; standard and Gaussian dropout at rate %s (%s).%n",
              s.examples(),
              s.maxEpochs(),
              s.patience(),
              s.rate(),
              s.why()));
    }
    md.append(
            String.format(
                Locale.ROOT,
                "- **Predictors**: every dropout method by Monte Carlo dropout, T = %d passes (the importance-guided "
                    + "ones `frozen`: their rates as training left them, see the guide's Uncertainty page); `none` by "
                    + "its one deterministic prediction; `ensemble`: %d dropout-free models on the seed's training "
                    + "split, member k initialised and shuffled by seed + 1000·k (member 0 is `none`), their "
                    + "probabilities averaged and their disagreement the mutual information.%n",
                budget.samples(),
                budget.members()))
        .append(
            "- **Statistics**: mean ± half-width of the 95% CI over the seeds; each predictor against standard "
                + "Monte Carlo dropout of the same seed (same subset), paired, with Holm's correction over every "
                + "comparison of the section (every measure but the unshifted accuracy, which is shown untested); "
                + "**bold**: significant after it (Holm p < ")
        .append(PairedDifference.LEVEL)
        .append(").\n");
    return md.toString();
  }

  static String results(List<Arm> arms, Budget budget, Path report, ChartWriter charts)
      throws IOException {
    Map<String, PairedDifference> differences = new LinkedHashMap<>();
    for (Arm arm : arms) {
      List<UncertaintyRun> base = arm.runs().get(arm.baseline());
      for (String method : arm.runs().keySet()) {
        if (base == null || method.equals(arm.baseline())) {
          continue;
        }
        for (Measure m : MEASURES.stream().filter(Measure::tested).toList()) {
          PairedDifference d =
              PairedDifference.bySeed(bySeed(arm.runs().get(method), m), bySeed(base, m));
          if (d.seeds() > 0) {
            differences.put(key(arm, method, m), d);
          }
        }
      }
    }
    Map<String, Double> holm = Holm.adjust(differences);
    long tests = Holm.tests(differences);
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT, "%nHolm's correction runs over the %d tests below.%n", tests));
    for (Arm arm : arms) {
      md.append(String.format(Locale.ROOT, "%n### %,d training images%n%n", arm.size().examples()));
      if (arm.runs().isEmpty()) {
        md.append("Not measured yet.\n");
        continue;
      }
      md.append(table(arm))
          .append('\n')
          .append(
              differenceTable(
                  arm,
                  (budget.methods().size() + 1L) * arm.size().seeds().size(),
                  differences,
                  holm));
      md.append(learnedRates(arm));
    }
    md.append(charts(arms, budget, report, charts));
    return md.toString();
  }

  private static String table(Arm arm) {
    StringBuilder md = new StringBuilder("| method | predictor | runs | epochs |");
    MEASURES.forEach(m -> md.append(' ').append(m.heading()).append(" |"));
    md.append("\n|---|---|---|---|").append("---|".repeat(MEASURES.size())).append('\n');
    arm.runs()
        .forEach(
            (method, runs) -> {
              List<UncertaintyRun> done = runs.stream().filter(r -> !r.failed()).toList();
              md.append("| `")
                  .append(method)
                  .append("` | ")
                  .append(done.isEmpty() ? "—" : done.get(0).predictor())
                  .append(" | ")
                  .append(done.size())
                  .append(
                      runs.size() > done.size()
                          ? " (" + (runs.size() - done.size()) + " failed)"
                          : "")
                  .append(
                      String.format(
                          Locale.ROOT,
                          " | %.0f |",
                          done.stream()
                              .mapToInt(UncertaintyRun::epochs)
                              .average()
                              .orElse(Double.NaN)));
              for (Measure m : MEASURES) {
                md.append(' ')
                    .append(StudyCells.meanAndHalfWidth(values(done, m.key())))
                    .append(" |");
              }
              md.append('\n');
            });
    return md.toString();
  }

  private static String differenceTable(
      Arm arm, long planned, Map<String, PairedDifference> differences, Map<String, Double> holm) {
    StringBuilder md =
        new StringBuilder(
            "Against `"
                + arm.baseline()
                + "` (Monte Carlo), paired by seed: the mean difference ± the half-width of its 95% CI "
                + "(Holm p).\n\n| method |");
    List<Measure> tested = MEASURES.stream().filter(Measure::tested).toList();
    tested.forEach(m -> md.append(' ').append(m.heading()).append(" |"));
    md.append("\n|---|").append("---|".repeat(tested.size())).append('\n');
    for (String method : arm.runs().keySet()) {
      if (method.equals(arm.baseline())) {
        continue;
      }
      md.append(
          StudyCells.differenceRow(
              "`" + method + "`",
              tested.stream().map(m -> key(arm, method, m)).toList(),
              differences,
              holm));
    }
    return md.append(verdict(arm, planned, tested, differences, holm)).toString();
  }

  /**
   * What the table says: each difference significant after Holm's correction, better or worse by
   * the measure's direction; else that none is; from how many of the {@code planned} runs.
   */
  private static String verdict(
      Arm arm,
      long planned,
      List<Measure> tested,
      Map<String, PairedDifference> differences,
      Map<String, Double> holm) {
    List<String> found = new ArrayList<>();
    for (String method : arm.runs().keySet()) {
      for (Measure m : tested) {
        String k = key(arm, method, m);
        if (holm.containsKey(k) && holm.get(k) < PairedDifference.LEVEL) {
          boolean better = differences.get(k).meanPoints() > 0 == m.higherIsBetter();
          found.add(
              String.format(
                  Locale.ROOT,
                  "`%s` %s on %s (%+.4f, Holm p = %.3f)",
                  method,
                  better ? "better" : "worse",
                  m.heading(),
                  differences.get(k).meanPoints(),
                  holm.get(k)));
        }
      }
    }
    long finished =
        arm.runs().values().stream()
            .mapToLong(runs -> runs.stream().filter(r -> !r.failed()).count())
            .sum();
    String start = StudyCells.verdict(finished, planned);
    return found.isEmpty()
        ? start
            + "after Holm's correction no predictor differs significantly from `"
            + arm.baseline()
            + "` on any measure.\n"
        : start
            + "after Holm's correction, against `"
            + arm.baseline()
            + "`: "
            + String.join("; ", found)
            + "; no other difference is significant.\n";
  }

  /** Concrete dropout's learned rates, mean over the seeds, per layer. */
  private static String learnedRates(Arm arm) {
    StringBuilder md = new StringBuilder();
    arm.runs()
        .forEach(
            (method, runs) -> {
              Map<String, List<Double>> byLayer = new LinkedHashMap<>();
              runs.stream()
                  .filter(r -> !r.failed())
                  .forEach(
                      r ->
                          r.learnedRates()
                              .forEach(
                                  (layer, rate) ->
                                      byLayer
                                          .computeIfAbsent(layer, k -> new ArrayList<>())
                                          .add(rate)));
              if (!byLayer.isEmpty()) {
                md.append("\nRates `")
                    .append(method)
                    .append("` learned (mean over the seeds): ")
                    .append(
                        byLayer.entrySet().stream()
                            .map(
                                e ->
                                    String.format(
                                        Locale.ROOT,
                                        "%s %.4f",
                                        e.getKey(),
                                        e.getValue().stream()
                                            .mapToDouble(Double::doubleValue)
                                            .average()
                                            .orElse(Double.NaN)))
                            .collect(Collectors.joining(", ")))
                    .append(".\n");
              }
            });
    return md.toString();
  }

  private static String charts(List<Arm> arms, Budget budget, Path report, ChartWriter charts)
      throws IOException {
    StringBuilder md = new StringBuilder("\n### Charts\n");
    Path images = ReproductionReport.chartFolder(report);
    for (Measure m : MEASURES) {
      List<MeasurePoint> points = new ArrayList<>();
      for (Arm arm : arms) {
        String size = String.format(Locale.ROOT, "%,d images", arm.size().examples());
        arm.runs()
            .forEach(
                (method, runs) -> {
                  double[] v = values(runs.stream().filter(r -> !r.failed()).toList(), m.key());
                  if (v.length > 0) {
                    points.add(
                        new MeasurePoint(
                            method, size, Comparison.mean(v), PairedDifference.halfWidth(v)));
                  }
                });
      }
      if (points.isEmpty()) {
        continue;
      }
      String name = "uncertainty-" + m.key().replace('_', '-');
      md.append(
          ReproductionPage.image(
              charts.measureByMethod(
                  points,
                  m.heading() + (m.higherIsBetter() ? " (higher is better)" : " (lower is better)"),
                  images,
                  name),
              report,
              m.heading()));
    }
    return md.toString();
  }

  private static String key(Arm arm, String method, Measure m) {
    return arm.size().label() + "|" + method + "|" + m.key();
  }

  /** One measure of each finished run of {@code runs} that has it, by seed. */
  private static Map<Long, Double> bySeed(List<UncertaintyRun> runs, Measure m) {
    Map<Long, Double> values = new LinkedHashMap<>();
    runs.stream()
        .filter(r -> !r.failed() && r.measures().containsKey(m.key()))
        .forEach(r -> values.put(r.seed(), r.measures().get(m.key())));
    return values;
  }

  private static double[] values(List<UncertaintyRun> runs, String key) {
    return runs.stream()
        .filter(r -> r.measures().containsKey(key))
        .mapToDouble(r -> r.measures().get(key))
        .toArray();
  }
}
