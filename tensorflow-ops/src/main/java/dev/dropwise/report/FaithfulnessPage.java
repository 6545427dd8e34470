package dev.dropwise.report;

import dev.dropwise.experiments.Holm;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.report.FaithfulnessPlan.Budget;
import dev.dropwise.report.FaithfulnessStudy.Arm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The faithfulness section as Markdown: its design, then per model a table of every input
 * attribution (AOPC of both flipping orders, their gap, the randomisation check) and one of every
 * hidden-unit measure (unit flipping), each gap paired by seed against the plan's baseline with
 * Holm's correction over the section, and a verdict.
 */
final class FaithfulnessPage {
  private FaithfulnessPage() {}

  static String design(Budget budget) {
    StringBuilder md = new StringBuilder();
    md.append(
        "Every importance-guided method is steered by scores, and a heatmap can look right without"
            + " being what the model uses. This section asks the models.\n\n");
    md.append("- **Models**, trained with `").append(budget.method()).append("`:\n");
    for (FaithfulnessPlan.Model m : budget.models()) {
      md.append("  - `")
          .append(m.name())
          .append("`: `--layers ")
          .append(m.layers())
          .append("` on ")
          .append(
              m.fashion()
                  ? String.format(Locale.ROOT, "%,d Fashion-MNIST images", budget.examples())
                  : "`" + m.source() + "`")
          .append(" — ")
          .append(m.why())
          .append('\n');
    }
    md.append(
        String.format(
            Locale.ROOT,
            "- **Training**: up to %d epoch%s, early stopping after %d without improvement; seeds %s;"
                + " the first %d test examples explained.%n",
            budget.maxEpochs(),
            budget.maxEpochs() == 1 ? "" : "s",
            budget.patience(),
            budget.seeds(),
            budget.explained()));
    md.append(
        String.format(
            Locale.ROOT,
            "- **Input attributions** (`dropwise faithfulness`): pixel flipping, each example's features"
                + " replaced by the baseline most relevant first (MoRF) and least relevant first (LeRF),"
                + " 1/%d of them a step (a feature a step where there are fewer), the probability of the predicted class read after each; AOPC of"
                + " each curve and their gap (higher: more faithful); ρ, the mean rank correlation with"
                + " the explanation of the model with every layer re-initialised (it must fall: near 0"
                + " passes). Grad-CAM only where a model has feature maps.%n",
            budget.steps()));
    md.append(
        "- **Hidden-unit measures**: unit flipping, each hidden layer's units removed most important"
            + " first and least important first, test accuracy read after each share; AOPC and gap.\n");
    md.append(
        "- **Does it matter for dropout?** "
            + budget.retrain().stream().map(m -> "`" + m + "`").collect(Collectors.joining(", "))
            + " trained on the same data, seeds and training, each steered by its default measure,"
            + " by the most faithful other measure (the widest mean unit-flipping gap above; where"
            + " the default's is widest, the runner-up) and by the least faithful; test accuracy"
            + " paired by seed against the default's.\n");
    md.append(
        "- **Statistics**: mean ± half-width of the 95% CI over the seeds; each gap paired by seed with"
            + " the baseline's (`"
            + budget.baselineAttribution()
            + "` for attributions, `"
            + budget.baselineUnits()
            + "` for units), Holm's correction over every comparison of the section; **bold**:"
            + " significant after it (Holm p < 0.05).\n\n");
    return md.toString();
  }

  static String results(List<Arm> arms, Budget budget) {
    Map<String, PairedDifference> differences = new LinkedHashMap<>();
    for (Arm arm : arms) {
      List<FaithfulnessRun> ok = arm.runs().stream().filter(r -> !r.failed()).toList();
      add(
          differences,
          arm,
          "attribution",
          ok,
          FaithfulnessRun::attributions,
          budget.baselineAttribution());
      add(differences, arm, "units", ok, FaithfulnessRun::units, budget.baselineUnits());
      MeasureSwap.differences(arm.model().name(), arm.swaps(), arm.retrained(), differences);
    }
    Map<String, Double> holm = Holm.adjust(differences);
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Holm's correction runs over the %d tests below.%n",
                Holm.tests(differences)));
    for (Arm arm : arms) {
      List<FaithfulnessRun> ok = arm.runs().stream().filter(r -> !r.failed()).toList();
      md.append("\n### `").append(arm.model().name()).append("`\n\n");
      long failed = arm.runs().size() - ok.size();
      md.append(
          String.format(
              Locale.ROOT,
              "%d of %d runs%s; test accuracy %s.%n%n",
              ok.size(),
              budget.seeds().size(),
              failed == 0 ? "" : " (" + failed + " failed)",
              StudyCells.meanAndHalfWidth(
                  ok.stream().mapToDouble(FaithfulnessRun::accuracy).toArray())));
      if (ok.isEmpty()) {
        continue;
      }
      md.append(
          table(
              arm,
              ok,
              "attribution",
              FaithfulnessRun::attributions,
              budget.baselineAttribution(),
              differences,
              holm,
              true));
      md.append('\n');
      md.append(
          table(
              arm,
              ok,
              "units",
              FaithfulnessRun::units,
              budget.baselineUnits(),
              differences,
              holm,
              false));
      md.append(StudyCells.verdict(ok.size(), budget.seeds().size()))
          .append("the widest gap among the attributions is `")
          .append(widest(ok, FaithfulnessRun::attributions))
          .append("`'s, among the hidden-unit measures `")
          .append(widest(ok, FaithfulnessRun::units))
          .append("`'s")
          .append(significant(arm, differences, holm))
          .append("\n");
      if (!arm.swaps().isEmpty()) {
        md.append("\n#### `")
            .append(arm.model().name())
            .append("`: does the measure matter for dropout?\n\n")
            .append(
                MeasureSwap.table(
                    arm.model().name(), arm.swaps(), ok, arm.retrained(), differences, holm))
            .append("\n**Verdict**: ")
            .append(MeasureSwap.verdict(arm.model().name(), arm.swaps(), differences, holm));
      }
    }
    return md.toString();
  }

  /** The pairs of each ranking's gap with the baseline's, keyed {@code model|kind|ranking}. */
  private static void add(
      Map<String, PairedDifference> differences,
      Arm arm,
      String kind,
      List<FaithfulnessRun> runs,
      Function<FaithfulnessRun, Map<String, FaithfulnessRun.Scores>> scores,
      String baseline) {
    if (runs.isEmpty()) {
      return;
    }
    for (String name : scores.apply(runs.get(0)).keySet()) {
      if (!name.equals(baseline) && !name.equals("random")) {
        differences.put(
            arm.model().name() + "|" + kind + "|" + name,
            PairedDifference.of(
                values(runs, scores, name, FaithfulnessRun.Scores::gap),
                values(runs, scores, baseline, FaithfulnessRun.Scores::gap)));
      }
    }
  }

  private static String table(
      Arm arm,
      List<FaithfulnessRun> runs,
      String kind,
      Function<FaithfulnessRun, Map<String, FaithfulnessRun.Scores>> scores,
      String baseline,
      Map<String, PairedDifference> differences,
      Map<String, Double> holm,
      boolean withRho) {
    StringBuilder md =
        new StringBuilder(
            "| "
                + (withRho ? "attribution" : "hidden-unit measure")
                + " | AOPC MoRF | AOPC LeRF | gap |"
                + (withRho ? " ρ, all layers random |" : "")
                + " gap − `"
                + baseline
                + "`'s (Holm p) |\n|---|---|---|---|"
                + (withRho ? "---|" : "")
                + "---|\n");
    for (String name : scores.apply(runs.get(0)).keySet()) {
      String key = arm.model().name() + "|" + kind + "|" + name;
      PairedDifference d = differences.get(key);
      md.append("| `")
          .append(name)
          .append("` | ")
          .append(cell(runs, scores, name, FaithfulnessRun.Scores::aopcMorf))
          .append(" | ")
          .append(cell(runs, scores, name, FaithfulnessRun.Scores::aopcLerf))
          .append(" | ")
          .append(cell(runs, scores, name, FaithfulnessRun.Scores::gap))
          .append(" |")
          .append(withRho ? " " + cell(runs, scores, name, FaithfulnessRun.Scores::rho) + " |" : "")
          .append(' ')
          .append(d == null ? "—" : StudyCells.difference(d, holm.get(key)))
          .append(" |\n");
    }
    return md.toString();
  }

  /** Each run's value of {@code name}'s {@code measure} (NaN where a run has none). */
  private static double[] values(
      List<FaithfulnessRun> runs,
      Function<FaithfulnessRun, Map<String, FaithfulnessRun.Scores>> scores,
      String name,
      ToDoubleFunction<FaithfulnessRun.Scores> measure) {
    return runs.stream()
        .mapToDouble(
            r -> {
              FaithfulnessRun.Scores s = scores.apply(r).get(name);
              return s == null ? Double.NaN : measure.applyAsDouble(s);
            })
        .toArray();
  }

  private static String cell(
      List<FaithfulnessRun> runs,
      Function<FaithfulnessRun, Map<String, FaithfulnessRun.Scores>> scores,
      String name,
      ToDoubleFunction<FaithfulnessRun.Scores> measure) {
    double[] v =
        java.util.Arrays.stream(values(runs, scores, name, measure))
            .filter(x -> !Double.isNaN(x))
            .toArray();
    return StudyCells.meanAndHalfWidth(v);
  }

  /** The ranking (not the random one) with the highest mean gap. */
  private static String widest(
      List<FaithfulnessRun> runs,
      Function<FaithfulnessRun, Map<String, FaithfulnessRun.Scores>> scores) {
    String best = null;
    double bestGap = Double.NEGATIVE_INFINITY;
    for (String name : scores.apply(runs.get(0)).keySet()) {
      double gap =
          java.util.Arrays.stream(values(runs, scores, name, FaithfulnessRun.Scores::gap))
              .average()
              .orElse(Double.NaN);
      if (!name.equals("random") && gap > bestGap) {
        best = name;
        bestGap = gap;
      }
    }
    return best;
  }

  /** The arm's differences significant after Holm's correction, in words. */
  private static String significant(
      Arm arm, Map<String, PairedDifference> differences, Map<String, Double> holm) {
    List<String> found = new ArrayList<>();
    differences.forEach(
        (key, d) -> {
          String[] parts = key.split("\\|", 3);
          Double p = holm.get(key);
          if (parts[0].equals(arm.model().name())
              && !parts[1].equals("retrain")
              && p != null
              && p < PairedDifference.LEVEL) {
            found.add(
                String.format(
                    Locale.ROOT,
                    "%s `%s` (%+.4f, Holm p = %.3f)",
                    parts[1].equals("units") ? "measure" : "attribution",
                    parts[2],
                    d.meanPoints(),
                    p));
          }
        });
    return found.isEmpty()
        ? "; no gap differs significantly from its baseline's after Holm's correction."
        : "; significantly different gaps from the baseline's: " + String.join(", ", found) + ".";
  }
}
