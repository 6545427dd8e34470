package dev.dropwise.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedDifferenceTest {

  private static Comparison.Run run(String method, long seed, double accuracy) {
    return new Comparison.Run(method, seed, 0.3, accuracy, 20, 100, List.of(), null);
  }

  @Test
  void identicalRunsAreNoDifference() {
    List<Comparison.Run> a = List.of(run("a", 1, 0.9), run("a", 2, 0.8));
    List<Comparison.Run> b = List.of(run("b", 1, 0.9), run("b", 2, 0.8));
    assertEquals(new PairedDifference(2, 0, 0, 1, 0), PairedDifference.of(a, b));
  }

  @Test
  void theSameNonzeroDifferenceOnEverySeedIsNoTest() {
    List<Comparison.Run> a = List.of(run("a", 1, 0.9), run("a", 2, 0.8));
    List<Comparison.Run> b = List.of(run("b", 1, 0.85), run("b", 2, 0.75));
    PairedDifference d = PairedDifference.of(a, b);
    assertEquals(5.0, d.meanPoints(), 1e-9);
    assertEquals(false, d.significant());
    assertEquals(
        "+5.00 points against b on each of 2 paired seeds alike: no spread to test against, no test",
        d.describe("b"));
  }

  @Test
  void theSameDifferenceUpToRoundingIsNoTestEither() {
    // 0.1 + 0.2 - 0.2 and 0.7 - 0.6 are both 0.1 but differ in their last bits: without care, t is
    // huge and p is 0.
    List<Comparison.Run> a = List.of(run("a", 1, 0.1 + 0.2), run("a", 2, 0.7));
    List<Comparison.Run> b = List.of(run("b", 1, 0.2), run("b", 2, 0.6));
    PairedDifference d = PairedDifference.of(a, b);
    assertEquals(10.0, d.meanPoints(), 1e-9);
    assertEquals(false, d.significant());
    assertEquals(true, Double.isNaN(d.p()));
    assertEquals(
        "+10.00 points against b on each of 2 paired seeds alike: no spread to test against, no test",
        d.describe("b"));
  }

  @Test
  void theConfidenceIntervalIsTheMeanDifferencePlusMinusStudentsQuantileTimesItsStandardError() {
    // Differences of +1, +2, +4 points: mean 7/3, sample sd sqrt(7/3), df 2 where t(0.975) =
    // 4.302652729911275.
    List<Comparison.Run> a = List.of(run("a", 1, 0.51), run("a", 2, 0.52), run("a", 3, 0.54));
    List<Comparison.Run> b = List.of(run("b", 1, 0.50), run("b", 2, 0.50), run("b", 3, 0.50));
    PairedDifference d = PairedDifference.of(a, b);
    double mean = 7.0 / 3;
    double half = 4.302652729911275 * Math.sqrt(7.0 / 3) / Math.sqrt(3);
    assertEquals(mean, d.meanPoints(), 1e-9);
    assertEquals(half, d.halfWidthPoints(), 1e-9);
    assertEquals(
        String.format(
            java.util.Locale.ROOT,
            "+2.33 points (95%% CI %+.2f to %+.2f) against b over 3 paired seeds "
                + "(t = %.2f, p = %.3f): no significant difference",
            mean - half,
            mean + half,
            d.t(),
            d.p()),
        d.describe("b"));
  }

  @Test
  void verdictsOverSeveralMethodsGoByHolmsCorrection() {
    List<Comparison.Run> runs = new java.util.ArrayList<>();
    double[][] accuracies = {
      {0.50, 0.50, 0.50}, // b, the baseline
      {0.520, 0.521, 0.519}, // a: +2 points on every seed, give or take 0.1
      {0.51, 0.52, 0.54}, // c: +1, +2, +4
      {0.510, 0.515, 0.520} // e: +1, +1.5, +2
    };
    String[] methods = {"b", "a", "c", "e"};
    for (int m = 0; m < methods.length; m++) {
      for (int seed = 0; seed < 3; seed++) {
        runs.add(run(methods[m], seed + 1, accuracies[m][seed]));
      }
    }
    double pa = PairedDifference.of(of(runs, "a"), of(runs, "b")).p();
    double pc = PairedDifference.of(of(runs, "c"), of(runs, "b")).p();
    double pe = PairedDifference.of(of(runs, "e"), of(runs, "b")).p();
    // Holm by hand for p_a < p_e < p_c: 3 p_a, then max(3 p_a, 2 p_e), then max(that, p_c).
    assertEquals(true, pa < pe && pe < pc && pe < 0.05, pa + " " + pe + " " + pc);
    double holmA = 3 * pa;
    double holmE = Math.max(holmA, 2 * pe);
    double holmC = Math.min(1, Math.max(holmE, pc));
    String verdicts = PairedDifference.verdicts("b", "b", runs);
    List<String> lines = verdicts.lines().toList();
    assertEquals(3, lines.size(), verdicts);
    assertEquals(true, lines.get(0).startsWith("- `a`: "), verdicts);
    assertVerdict(lines.get(0), holmA, "beats b");
    assertVerdict(lines.get(1), holmC, "no significant difference");
    // e alone would be called significant (p < 0.05); one of three, it is not.
    assertEquals(true, PairedDifference.of(of(runs, "e"), of(runs, "b")).significant());
    assertVerdict(lines.get(2), holmE, "no significant difference");
  }

  /** {@code line} ends with its Holm p over the three tests and {@code verdict}. */
  private static void assertVerdict(String line, double holm, String verdict) {
    String end =
        String.format(java.util.Locale.ROOT, ", Holm p = %.3f over 3 tests): %s.", holm, verdict);
    assertEquals(true, line.endsWith(end), line + " ends with " + end);
  }

  private static List<Comparison.Run> of(List<Comparison.Run> runs, String method) {
    return runs.stream().filter(r -> r.method().equals(method)).toList();
  }
}
