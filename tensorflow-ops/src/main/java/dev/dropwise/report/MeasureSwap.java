package dev.dropwise.report;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.ImportanceGuided;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.importance.ImportanceSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The faithfulness study's second part: does steering an importance-guided method by a more (or
 * less) faithful measure change what it trains? Each method the plan retrains is trained with its
 * default measure, with the most faithful other measure (the first part's widest mean unit-flipping
 * gap; where that is the default's, the runner-up, which the first part may not tell apart from it)
 * and with the least faithful other measure; test accuracy is paired by seed against the default's.
 */
final class MeasureSwap {
  private MeasureSwap() {}

  /** A method steered by a measure, and why the measure was chosen. */
  record Choice(String method, String measure, String role) {
    static final String DEFAULT = "default";
  }

  /**
   * The trainings of {@code methods} on a model whose first-part runs are {@code runs}: for each
   * method its default, the most faithful other and the least faithful measure, among those the
   * first part ranked (none when it has no runs).
   */
  static List<Choice> choices(List<String> methods, List<FaithfulnessRun> runs) {
    List<String> ranked = byGap(runs);
    List<Choice> out = new ArrayList<>();
    for (String method : methods) {
      if (!(DropoutSpec.parse(method) instanceof ImportanceGuided guided)) {
        throw new IllegalArgumentException(
            "the faithfulness plan retrains "
                + method
                + ", which no importance measure steers: list importance-guided methods (lrp,"
                + " ydrop, pfid)");
      }
      ImportanceSpec own = guided.importance();
      List<String> others =
          ranked.stream().filter(m -> !ImportanceSpec.parse(m).equals(own)).toList();
      if (others.isEmpty()) {
        continue;
      }
      // The default by the plan's name for it where the first part ranked it.
      String ownName =
          ranked.stream().filter(m -> !others.contains(m)).findFirst().orElse(own.text());
      out.add(new Choice(method, ownName, Choice.DEFAULT));
      boolean ownIsFirst = ranked.get(0).equals(ownName);
      String best = others.get(0);
      out.add(
          new Choice(withMeasure(method, best), best, ownIsFirst ? "runner-up" : "most faithful"));
      String worst = others.get(others.size() - 1);
      if (!worst.equals(best)) {
        out.add(new Choice(withMeasure(method, worst), worst, "least faithful"));
      }
    }
    return out;
  }

  /** The first part's hidden-unit measures (not the random floor), widest mean gap first. */
  static List<String> byGap(List<FaithfulnessRun> runs) {
    List<FaithfulnessRun> ok = runs.stream().filter(r -> !r.failed()).toList();
    if (ok.isEmpty()) {
      return List.of();
    }
    Map<String, Double> gaps = new LinkedHashMap<>();
    for (String m : ok.get(0).units().keySet()) {
      double gap =
          ok.stream()
              .filter(r -> r.units().containsKey(m))
              .mapToDouble(r -> r.units().get(m).gap())
              .average()
              .orElse(Double.NaN);
      // The random floor is no measure; a measure with no gap anywhere ranks nothing.
      if (!m.equals("random") && !Double.isNaN(gap)) {
        gaps.put(m, gap);
      }
    }
    // A stable sort: equal gaps keep the plan's order.
    return gaps.keySet().stream()
        .sorted(Comparator.comparingDouble((String m) -> gaps.get(m)).reversed())
        .toList();
  }

  /** {@code method}'s text steered by {@code measure} (its settings handed on as the method's). */
  static String withMeasure(String method, String measure) {
    return method
        + (method.contains(":") ? "," : ":")
        + "importance="
        + measure.replaceFirst(":", ",");
  }

  /** Each choice's accuracy against its method's default, keyed {@code model|retrain|method}. */
  static void differences(
      String model,
      List<Choice> choices,
      Map<String, List<RetrainedRun>> runs,
      Map<String, PairedDifference> out) {
    String method = null;
    for (Choice c : choices) {
      if (c.role().equals(Choice.DEFAULT)) {
        method = c.method();
      } else {
        out.put(
            key(model, c),
            PairedDifference.bySeed(
                accuracies(runs.get(c.method())), accuracies(runs.get(method))));
      }
    }
  }

  static String key(String model, Choice c) {
    return model + "|retrain|" + c.method();
  }

  /**
   * The part's table for one model: each method and measure, the measure's unit-flipping gap from
   * the first part, test accuracy, and the difference from the default's.
   */
  static String table(
      String model,
      List<Choice> choices,
      List<FaithfulnessRun> firstPart,
      Map<String, List<RetrainedRun>> runs,
      Map<String, PairedDifference> differences,
      Map<String, Double> holm) {
    StringBuilder md =
        new StringBuilder(
            "| method | steered by | its unit-flipping gap | runs | test accuracy |"
                + " − the default's (Holm p) |\n|---|---|---|---|---|---|\n");
    for (Choice c : choices) {
      List<RetrainedRun> ok =
          runs.getOrDefault(c.method(), List.of()).stream().filter(r -> !r.failed()).toList();
      PairedDifference d = differences.get(key(model, c));
      md.append(
          String.format(
              Locale.ROOT,
              "| `%s` | `%s` (%s) | %s | %d | %s | %s |%n",
              c.method(),
              c.measure(),
              c.role(),
              StudyCells.meanAndHalfWidth(
                  firstPart.stream()
                      .filter(r -> !r.failed() && r.units().containsKey(c.measure()))
                      .mapToDouble(r -> r.units().get(c.measure()).gap())
                      .toArray()),
              ok.size(),
              StudyCells.meanAndHalfWidth(
                  ok.stream().mapToDouble(RetrainedRun::accuracy).toArray()),
              d == null ? "—" : StudyCells.difference(d, holm.get(key(model, c)))));
    }
    return md.toString();
  }

  /** What the part found on one model, in words. */
  static String verdict(
      String model,
      List<Choice> choices,
      Map<String, PairedDifference> differences,
      Map<String, Double> holm) {
    List<String> found = new ArrayList<>();
    for (Choice c : choices) {
      Double p = holm.get(key(model, c));
      if (p != null && p < PairedDifference.LEVEL) {
        found.add(
            String.format(
                Locale.ROOT,
                "`%s` (%+.4f, Holm p = %.3f)",
                c.method(),
                differences.get(key(model, c)).meanPoints(),
                p));
      }
    }
    return found.isEmpty()
        ? "no measure changes a method's test accuracy significantly after Holm's correction.\n"
        : "test accuracy differs significantly from the default measure's with "
            + String.join(", ", found)
            + ".\n";
  }

  private static Map<Long, Double> accuracies(List<RetrainedRun> runs) {
    Map<Long, Double> bySeed = new LinkedHashMap<>();
    if (runs != null) {
      runs.stream().filter(r -> !r.failed()).forEach(r -> bySeed.put(r.seed(), r.accuracy()));
    }
    return bySeed;
  }
}
