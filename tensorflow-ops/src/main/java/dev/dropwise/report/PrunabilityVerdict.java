package dev.dropwise.report;

import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.report.PrunabilityPage.Column;
import dev.dropwise.report.PrunabilityPlan.Budget;
import dev.dropwise.report.PrunabilityStudy.Arm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The prunability section's answer: at equal accuracy loss (a mean test accuracy at most {@link
 * #LOSS} below the unpruned standard-dropout network's), the smallest share of the hidden units
 * each training keeps by each ranking, as pruned and fine-tuned, and the verdict: which leave the
 * smallest network, and which pruned accuracies differ significantly from standard dropout's.
 */
final class PrunabilityVerdict {
  private PrunabilityVerdict() {}

  /** How far below the unpruned standard-dropout network a pruned one may fall and still count. */
  static final double LOSS = 0.01;

  /**
   * The smallest share each training keeps, by each ranking and fine-tuning, with a mean test
   * accuracy at most {@link #LOSS} below the unpruned standard-dropout network's; 1 where no share
   * does and the unpruned network itself does; a dash where not even that.
   */
  static String smallest(Arm arm, Budget budget) {
    double reference = reference(arm);
    if (Double.isNaN(reference)) {
      return "\nThe smallest network within a point: no `" + arm.baseline() + "` run yet.\n";
    }
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%nThe smallest share kept with a mean test accuracy of at least %.4f (the unpruned `%s`'s "
                    + "%.4f less %.0f point):%n%n| training |",
                reference - LOSS,
                arm.baseline(),
                reference,
                100 * LOSS));
    List<Column> kinds = kinds(budget);
    kinds.forEach(
        k ->
            md.append(" `")
                .append(k.ranking())
                .append('`')
                .append(k.fineTuneEpochs() == 0 ? "" : ", tuned")
                .append(" |"));
    md.append("\n|---|").append("---|".repeat(kinds.size())).append('\n');
    arm.runs()
        .forEach(
            (method, runs) -> {
              md.append("| `").append(method).append("` |");
              for (Column kind : kinds) {
                double share = smallestShare(PrunabilityPage.done(runs), budget, kind, reference);
                md.append(Double.isNaN(share) ? " — |" : " " + share + " |");
              }
              md.append('\n');
            });
    return md.toString();
  }

  /** What the tables say about the question, and which differences are significant. */
  static String verdict(
      Arm arm, Budget budget, Map<String, PairedDifference> differences, Map<String, Double> holm) {
    double reference = reference(arm);
    if (Double.isNaN(reference)) {
      return "";
    }
    double best = Double.NaN;
    List<String> winners = new ArrayList<>();
    for (Map.Entry<String, List<PrunabilityRun>> e : arm.runs().entrySet()) {
      for (Column kind : kinds(budget)) {
        double share = smallestShare(PrunabilityPage.done(e.getValue()), budget, kind, reference);
        if (Double.isNaN(share) || share > best) {
          continue;
        }
        if (share < best || Double.isNaN(best)) {
          winners.clear();
          best = share;
        }
        String winner =
            share == 1
                ? "`" + e.getKey() + "`"
                : "`"
                    + e.getKey()
                    + "` by `"
                    + kind.ranking()
                    + "`"
                    + (kind.fineTuneEpochs() == 0 ? "" : " fine-tuned");
        if (!winners.contains(winner)) {
          winners.add(winner);
        }
      }
    }
    List<String> significant = new ArrayList<>();
    differences.forEach(
        (k, d) -> {
          if (k.startsWith(arm.size().label() + "|") && holm.get(k) < PairedDifference.LEVEL) {
            significant.add(
                String.format(
                    Locale.ROOT,
                    "%s (%+.4f, Holm p = %.3f)",
                    k.substring(k.indexOf('|') + 1).replace("|", " at "),
                    d.meanPoints(),
                    holm.get(k)));
          }
        });
    String smallest =
        Double.isNaN(best)
            ? "no training keeps its accuracy within a point of the unpruned `"
                + arm.baseline()
                + "`, pruned or not"
            : best == 1
                ? "no pruned network stays within a point of the unpruned `"
                    + arm.baseline()
                    + "`; unpruned, "
                    + String.join(", ", winners)
                    + " do"
                : String.format(
                    Locale.ROOT,
                    "the smallest network within a point keeps %s of the hidden units (%,d "
                        + "parameters): %s",
                    best,
                    parameters(arm, budget, best),
                    String.join(", ", winners));
    long finished =
        arm.runs().values().stream().mapToLong(runs -> PrunabilityPage.done(runs).size()).sum();
    long planned = (long) budget.methods().size() * arm.size().seeds().size();
    return StudyCells.verdict(finished, planned)
        + smallest
        + ". "
        + (significant.isEmpty()
            ? "After Holm's correction no training's pruned accuracy differs significantly from `"
                + arm.baseline()
                + "`'s at the same ranking, share and fine-tuning."
            : "Significant after Holm's correction, against `"
                + arm.baseline()
                + "`: "
                + String.join("; ", significant)
                + ".")
        + "\n";
  }

  /** The parameters of a network pruned to {@code keep} (every training's network is the same). */
  private static long parameters(Arm arm, Budget budget, double keep) {
    return arm.runs().values().stream()
        .flatMap(runs -> PrunabilityPage.done(runs).stream())
        .map(r -> r.cut(budget.rankings().get(0), keep, 0))
        .filter(c -> c != null)
        .mapToLong(PrunabilityRun.Cut::parameters)
        .findFirst()
        .orElse(0);
  }

  /** The unpruned standard-dropout network's mean test accuracy, NaN without a finished run. */
  private static double reference(Arm arm) {
    List<PrunabilityRun> base = arm.runs().get(arm.baseline());
    double[] v =
        base == null
            ? new double[0]
            : PrunabilityPage.values(PrunabilityPage.done(base), PrunabilityRun::accuracy);
    return v.length == 0 ? Double.NaN : Comparison.mean(v);
  }

  /** Each ranking, as pruned and fine-tuned. */
  private static List<Column> kinds(Budget budget) {
    List<Column> out = new ArrayList<>();
    for (String ranking : budget.rankings()) {
      out.add(new Column(ranking, 1, 0));
      out.add(new Column(ranking, 1, budget.fineTuneEpochs()));
    }
    return out;
  }

  private static double smallestShare(
      List<PrunabilityRun> runs, Budget budget, Column kind, double reference) {
    if (runs.isEmpty()) {
      return Double.NaN;
    }
    double best = Double.NaN;
    if (Comparison.mean(PrunabilityPage.values(runs, PrunabilityRun::accuracy))
        >= reference - LOSS) {
      best = 1;
    }
    for (double keep : budget.shares()) {
      Column c = new Column(kind.ranking(), keep, kind.fineTuneEpochs());
      double[] v = PrunabilityPage.values(runs, c::value);
      if (v.length > 0 && Comparison.mean(v) >= reference - LOSS && !(keep >= best)) {
        best = keep;
      }
    }
    return best;
  }
}
