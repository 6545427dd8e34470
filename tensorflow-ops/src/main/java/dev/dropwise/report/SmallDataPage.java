package dev.dropwise.report;

import static dev.dropwise.report.SmallDataPlan.methods;
import static dev.dropwise.report.SmallDataPlan.standard;

import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.Holm;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.report.SmallDataPlan.Budget;
import dev.dropwise.report.SmallDataPlan.Table;
import dev.dropwise.report.SmallDataStudy.Arm;
import dev.dropwise.train.TrainConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The small-data section's Markdown, from results already computed: the design, each data set's
 * rate search and table against tuned standard dropout with Holm's correction, the verdicts.
 * Renders only: no training, no files.
 */
final class SmallDataPage {
  private SmallDataPage() {}

  static String design(Budget budget, TrainConfig config) {
    StringBuilder md = new StringBuilder();
    md.append(
            "The full-budget Table 2 analogue found no importance-guided method that beats standard dropout with ")
        .append(
            "54,000 training images; the Y-Drop paper (§5, Table 3) reports its gains largest where data is scarce. ")
        .append("This section tests that where this machine can.\n\n")
        .append("- **Data**: Fashion-MNIST training subsets of ")
        .append(
            budget.sizes().stream()
                .map(
                    s ->
                        String.format(Locale.ROOT, "%,d", s.examples())
                            + " ("
                            + s.seeds().size()
                            + " seeds)")
                .collect(Collectors.joining(", ")))
        .append(
            " images, each class in its share (Fashion-MNIST's are equal), drawn anew by each seed, with the whole test set; ")
        .append(
            "and the tables of Debian's python3-sklearn, each with a 20% stratified test split drawn by the seed (")
        .append(budget.tableSeeds().size())
        .append(" seeds), features standardised on the training rows.\n");
    for (Table t : budget.tables()) {
      md.append("- **")
          .append(t.name())
          .append("**: hidden layers ")
          .append(t.hidden())
          .append(": ")
          .append(t.why())
          .append(".\n");
    }
    md.append("- **Fashion-MNIST model**: hidden layers ")
        .append(budget.hidden())
        .append(", as in the Table 2 analogue.\n")
        .append(
            "- **Training**, the same for every method: SGD with momentum 0.9, lr 0.01, batch 64 (the Table 2 analogue's), ")
        .append("10% of the training set held out for validation, at most ")
        .append(config.epochs())
        .append(" epochs, early stopping when the validation loss has not fallen for ")
        .append(config.patience())
        .append(" epochs; test accuracy with dropout off, of the model training ended with.\n")
        .append("- **Methods**: ")
        .append(budget.methods().stream().map(m -> "`" + m + "`").collect(Collectors.joining(", ")))
        .append(". **Tuned standard**: standard dropout at the rate among ")
        .append(Arrays.toString(budget.rates()))
        .append(
            " whose models reach the best mean validation accuracy over the seeds (never the test set).\n")
        .append(
            "- **Statistics**: each method against tuned standard dropout, paired by seed (a seed fixes the subset or ")
        .append(
            "split, the initial weights, the validation split and the example order for every method): the mean ")
        .append(
            "difference in points with its 95% confidence interval, the paired t-test, and Holm's correction over ")
        .append(
            "every comparison of the section. A difference is called significant when its Holm-adjusted p < ")
        .append(PairedDifference.LEVEL)
        .append(".\n");
    return md.toString();
  }

  /**
   * Per data set: the rate search, the table against tuned standard dropout, a verdict; Holm over
   * all of them.
   */
  static String results(List<Arm> arms, Budget budget) {
    Map<String, PairedDifference> differences = new LinkedHashMap<>();
    for (Arm arm : arms) {
      for (String method : budget.methods()) {
        List<Comparison.Run> mine = arm.runs().get(method);
        if (mine != null && arm.tuned() != null && !method.equals(standard(arm.tunedRate()))) {
          PairedDifference d = PairedDifference.of(mine, arm.tuned());
          differences.put(arm.label() + "|" + method, d);
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
    for (Arm arm : arms) {
      md.append("\n### ")
          .append(arm.title())
          .append("\n\n")
          .append(arm.design())
          .append(". Rate search (mean validation accuracy): ")
          .append(
              arm.validationByRate().entrySet().stream()
                  .map(e -> String.format(Locale.ROOT, "rate %.1f: %.4f", e.getKey(), e.getValue()))
                  .collect(Collectors.joining(", ")));
      if (Double.isNaN(arm.tunedRate())) {
        md.append(". No finished training yet.\n");
        continue;
      }
      md.append(
              String.format(
                  Locale.ROOT,
                  "; **tuned standard: rate %.1f**%s.%n%n",
                  arm.tunedRate(),
                  ties(arm.validationByRate(), arm.tunedRate())))
          .append(
              "| method | test accuracy | runs | epochs | vs tuned standard (points, 95% CI) | p | Holm p |\n")
          .append("|---|---|---|---|---|---|---|\n");
      List<String> better = new ArrayList<>();
      List<String> worse = new ArrayList<>();
      // The compared methods, then the searched rates that are not among them.
      for (String method : arm.runs().keySet()) {
        List<Comparison.Run> mine =
            arm.runs().get(method).stream().filter(r -> !r.failed()).toList();
        double[] acc = mine.stream().mapToDouble(Comparison.Run::testAccuracy).toArray();
        String row =
            String.format(
                Locale.ROOT,
                "| `%s`%s | %.4f ± %.4f | %d | %.0f |",
                method,
                method.equals(standard(arm.tunedRate())) ? " (tuned)" : "",
                Comparison.mean(acc),
                Comparison.std(acc),
                mine.size(),
                mine.stream().mapToInt(Comparison.Run::epochs).average().orElse(0));
        PairedDifference d = differences.get(arm.label() + "|" + method);
        if (d == null || method.equals(standard(arm.tunedRate()))) {
          md.append(row).append(" — | — | — |\n");
          continue;
        }
        double adjustedP = holm.get(arm.label() + "|" + method);
        md.append(row)
            .append(
                Double.isNaN(d.halfWidthPoints())
                    ? String.format(Locale.ROOT, " %+.2f |", d.meanPoints())
                    : String.format(
                        Locale.ROOT,
                        " %+.2f (%+.2f to %+.2f) |",
                        d.meanPoints(),
                        d.meanPoints() - d.halfWidthPoints(),
                        d.meanPoints() + d.halfWidthPoints()))
            .append(
                Double.isNaN(d.p())
                    ? " no test | — |\n"
                    : String.format(Locale.ROOT, " %.3f | %.3f |%n", d.p(), adjustedP));
        if (adjustedP < PairedDifference.LEVEL) {
          (d.meanPoints() > 0 ? better : worse)
              .add(
                  "`" + method + "` (" + String.format(Locale.ROOT, "%+.2f", d.meanPoints()) + ")");
        }
      }
      int finished = arm.finished(methods(budget));
      md.append("\n**Verdict**: ")
          .append(
              finished < arm.seeds()
                  ? String.format(
                      Locale.ROOT,
                      "none yet: still training (%d of %d seeds finished for every model).",
                      finished,
                      arm.seeds())
                  : verdict(arm, better, worse))
          .append('\n');
    }
    return md.toString();
  }

  private static String verdict(Arm arm, List<String> better, List<String> worse) {
    if (better.isEmpty() && worse.isEmpty()) {
      return "after Holm's correction no method differs significantly from standard dropout at its tuned rate ("
          + arm.tunedRate()
          + ").";
    }
    return (better.isEmpty()
            ? "no method beats"
            : String.join(", ", better) + " beat" + (better.size() == 1 ? "s" : ""))
        + " standard dropout at its tuned rate ("
        + arm.tunedRate()
        + ")"
        + (worse.isEmpty()
            ? ""
            : "; " + String.join(", ", worse) + (worse.size() == 1 ? " loses" : " lose") + " to it")
        + ", significantly after Holm's correction.";
  }

  /**
   * What a rate search's tie says: {@code ", tied with rate 0.7 (the lower rate is taken)"} where
   * other rates reach the tuned rate's mean validation accuracy exactly (to rounding), else empty.
   */
  static String ties(Map<Double, Double> validationByRate, double tunedRate) {
    double best = validationByRate.get(tunedRate);
    List<String> tied =
        validationByRate.entrySet().stream()
            .filter(e -> e.getKey() != tunedRate && Math.abs(e.getValue() - best) <= 1e-9)
            .map(e -> String.format(Locale.ROOT, "%.1f", e.getKey()))
            .toList();
    return tied.isEmpty()
        ? ""
        : ", tied with rate " + String.join(" and ", tied) + " (the lower rate is taken)";
  }

  /** A table cell: the mean difference in points with its 95% CI, or a dash where there is none. */
  static String cell(PairedDifference d) {
    if (d == null) {
      return " — |";
    }
    return Double.isNaN(d.halfWidthPoints())
        ? String.format(Locale.ROOT, " %+.2f |", d.meanPoints())
        : String.format(Locale.ROOT, " %+.2f ± %.2f |", d.meanPoints(), d.halfWidthPoints());
  }
}
