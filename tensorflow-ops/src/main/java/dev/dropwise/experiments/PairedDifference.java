package dev.dropwise.experiments;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.TTest;

/**
 * A method's test accuracy against a baseline's, seed by seed. A seed fixes the initial weights,
 * the validation split and the example order for every method, so the two runs of one seed differ
 * by the method alone: the differences are paired, and a paired t-test asks whether their mean is
 * 0. With five seeds a difference of a few tenths of a point is often noise; the test says when.
 *
 * @param seeds the seeds that both finished (failed runs left out)
 * @param meanPoints mean difference in accuracy points, (method − baseline) × 100; in the measure's
 *     own units for {@link #of(double[], double[])} and {@link #bySeed}
 * @param t the paired t statistic; NaN with fewer than two seeds, or when every seed differs by the
 *     same nonzero amount (no spread to test against)
 * @param p its two-sided p-value; NaN where t is, 1 when every pair is equal
 * @param halfWidthPoints half the width of the 95% confidence interval of the mean difference, in
 *     points (the measure's units as for {@code meanPoints}): {@code t(0.975, seeds − 1) · sd /
 *     √seeds}; NaN with fewer than two seeds
 */
public record PairedDifference(
    int seeds, double meanPoints, double t, double p, double halfWidthPoints) {

  /** A difference with p below this is called significant. */
  public static final double LEVEL = 0.05;

  /** Pairs {@code method}'s runs with {@code baseline}'s by seed. */
  public static PairedDifference of(List<Comparison.Run> method, List<Comparison.Run> baseline) {
    return bySeed(accuracies(method), accuracies(baseline), 100);
  }

  private static Map<Long, Double> accuracies(List<Comparison.Run> runs) {
    Map<Long, Double> bySeed = new LinkedHashMap<>();
    runs.stream().filter(r -> !r.failed()).forEach(r -> bySeed.put(r.seed(), r.testAccuracy()));
    return bySeed;
  }

  /**
   * {@code method}'s values against {@code baseline}'s of the same seed, in {@code method}'s order
   * of seeds, in the measure's own units (see {@link #of(double[], double[])}); seeds that only one
   * side has are left out.
   */
  public static PairedDifference bySeed(Map<Long, Double> method, Map<Long, Double> baseline) {
    return bySeed(method, baseline, 1);
  }

  private static PairedDifference bySeed(
      Map<Long, Double> method, Map<Long, Double> baseline, double scale) {
    List<Long> both = method.keySet().stream().filter(baseline::containsKey).toList();
    return paired(
        both.stream().mapToDouble(method::get).toArray(),
        both.stream().mapToDouble(baseline::get).toArray(),
        scale);
  }

  /**
   * {@code method[i]} against {@code baseline[i]}, any measure paired by index (a seed each), in
   * the measure's own units: {@link #meanPoints} and {@link #halfWidthPoints} are then differences
   * of the measure, not points; NaN pairs are left out.
   */
  public static PairedDifference of(double[] method, double[] baseline) {
    if (method.length != baseline.length) {
      throw new IllegalArgumentException(method.length + " values paired with " + baseline.length);
    }
    int[] kept =
        IntStream.range(0, method.length)
            .filter(i -> !Double.isNaN(method[i]) && !Double.isNaN(baseline[i]))
            .toArray();
    return paired(
        Arrays.stream(kept).mapToDouble(i -> method[i]).toArray(),
        Arrays.stream(kept).mapToDouble(i -> baseline[i]).toArray(),
        1);
  }

  /** The paired difference of {@code x} and {@code y}, both multiplied by {@code scale}. */
  private static PairedDifference paired(double[] x, double[] y, double scale) {
    double meanPoints = scale * (Comparison.mean(x) - Comparison.mean(y));
    if (x.length < 2) {
      return new PairedDifference(x.length, meanPoints, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] d = new double[x.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = scale * (x[i] - y[i]);
    }
    double sd = Comparison.std(d);
    double halfWidth = halfWidth(d);
    // The same difference on every seed, up to the rounding of the accuracies (0.9318 - 0.9234 and
    // 0.9262 - 0.9178 differ in the last bits): equal on every seed, nothing tells the two apart;
    // the same nonzero difference (a small test set's accuracies move in steps), the statistic is
    // d/≈0 and its p-value ≈0, which says nothing about a method, so no test is made.
    if (sd <= 1e-9 * Math.max(1, Math.abs(meanPoints))) {
      return Math.abs(meanPoints) <= 1e-9
          ? new PairedDifference(x.length, meanPoints, 0, 1, halfWidth)
          : new PairedDifference(x.length, meanPoints, Double.NaN, Double.NaN, halfWidth);
    }
    TTest.Result test = TTest.withDefaults().pairedTest(x, y);
    return new PairedDifference(
        x.length, meanPoints, test.getStatistic(), test.getPValue(), halfWidth);
  }

  /**
   * Every method of a comparison against {@code baseline} (a method's text) on the same
   * architecture, keyed by the method's label ({@code "lrp"}, or {@code "lrp @ 784-1024-1024-10"}
   * across architectures), in the comparison's order. The baseline's own runs, and architectures on
   * which it did not run, have no entry.
   */
  public static Map<String, PairedDifference> against(String baseline, List<Comparison.Run> runs) {
    Map<String, List<Comparison.Run>> byMethod = Comparison.byMethod(runs);
    Map<String, PairedDifference> out = new LinkedHashMap<>();
    byMethod.forEach(
        (label, mine) -> {
          int at = label.indexOf(" @ ");
          String architecture = at < 0 ? "" : label.substring(at);
          List<Comparison.Run> base = byMethod.get(baseline + architecture);
          if (base != null && !label.equals(baseline + architecture)) {
            out.put(label, of(mine, base));
          }
        });
    return out;
  }

  /**
   * Half the width of the 95% confidence interval of the mean of {@code values}, {@code t(0.975, n
   * − 1) · sd / √n}; NaN for fewer than two.
   */
  public static double halfWidth(double[] values) {
    return values.length < 2
        ? Double.NaN
        : TDistribution.of(values.length - 1).inverseSurvivalProbability(0.025)
            * Comparison.std(values)
            / Math.sqrt(values.length);
  }

  /** Whether p is below {@link #LEVEL} (a NaN p is not). */
  public boolean significant() {
    return p < LEVEL;
  }

  /**
   * A Markdown list: every method of {@code runs} against {@code baseline} (a method's text, named
   * {@code baselineName} in words), each verdict at its Holm-adjusted p over the list's tests, as
   * one family: with ten methods compared, one p = 0.021 is no finding ({@link Holm}).
   */
  public static String verdicts(String baseline, String baselineName, List<Comparison.Run> runs) {
    Map<String, PairedDifference> all = against(baseline, runs);
    Map<String, Double> adjusted = Holm.adjust(all);
    long tests = Holm.tests(all);
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, PairedDifference> e : all.entrySet()) {
      out.append("- `")
          .append(e.getKey())
          .append("`: ")
          .append(e.getValue().describe(baselineName, adjusted.get(e.getKey()), (int) tests))
          .append(".\n");
    }
    return out.toString();
  }

  /**
   * For example {@code +0.35 points (95% CI -0.44 to +1.14) against standard dropout over 5 paired
   * seeds (t = 1.23, p = 0.287): no significant difference}, naming the baseline as {@code
   * baseline}.
   */
  public String describe(String baseline) {
    return describe(baseline, p, 1);
  }

  /**
   * {@link #describe(String)} for one of {@code tests} comparisons made together: the verdict goes
   * by {@code adjustedP}, Holm's p over them, printed beside the test's own.
   */
  public String describe(String baseline, double adjustedP, int tests) {
    String head = String.format(Locale.ROOT, "%+.2f points against %s", meanPoints, baseline);
    if (seeds < 2) {
      return head + " on " + (seeds == 1 ? "one seed" : "no seed") + " both finished: no test";
    }
    if (Double.isNaN(t)) {
      return head
          + " on each of "
          + seeds
          + " paired seeds alike: no spread to test against, no test";
    }
    String verdict =
        !(adjustedP < LEVEL)
            ? "no significant difference"
            : meanPoints > 0 ? "beats " + baseline : "loses to " + baseline;
    String holm =
        tests > 1
            ? String.format(Locale.ROOT, ", Holm p = %.3f over %d tests", adjustedP, tests)
            : "";
    return String.format(
            Locale.ROOT,
            "%+.2f points (95%% CI %+.2f to %+.2f) against %s",
            meanPoints,
            meanPoints - halfWidthPoints,
            meanPoints + halfWidthPoints,
            baseline)
        + String.format(
            Locale.ROOT,
            " over %d paired seeds (t = %.2f, p = %.3f%s): %s",
            seeds,
            t,
            p,
            holm,
            verdict);
  }
}
