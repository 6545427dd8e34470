package dev.dropwise.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ReproductionReportTest {

  private static void add(List<Comparison.Run> runs, String method, double... accuracyPerSeed) {
    for (int s = 0; s < accuracyPerSeed.length; s++) {
      runs.add(new Comparison.Run(method, s + 1, 0.3, accuracyPerSeed[s], 20, 100, List.of(), null));
    }
  }

  /** Three pairs: df = 2, where Student's t has the closed form p = 1 − |t| / √(t² + 2). */
  private static String pairedLine(String method, double... differences) {
    double mean = Comparison.mean(differences);
    double t = mean / (Comparison.std(differences) / Math.sqrt(3));
    double p = 1 - Math.abs(t) / Math.sqrt(t * t + 2);
    String verdict = p >= 0.05 ? "no significant difference" : mean > 0 ? "beats standard dropout" : "loses to standard dropout";
    return String.format(Locale.ROOT, "- `%s @ 784-8-10`: %+.2f points against standard dropout over 3 paired seeds "
        + "(t = %.2f, p = %.3f): %s.%n", method, 100 * mean, t, p, verdict);
  }

  @Test
  void verdictsPairEveryMethodWithStandardDropoutOnItsArchitectureBySeed() {
    List<Comparison.Run> runs = new ArrayList<>();
    add(runs, "none @ 784-8-10", 0.95, 0.95, 0.95);
    add(runs, "standard:p=0.5 @ 784-8-10", 0.90, 0.88, 0.89);
    add(runs, "lrp @ 784-8-10", 0.92, 0.89, 0.91);
    add(runs, "ydrop @ 784-8-10", 0.899, 0.881, 0.889);
    add(runs, "pfid @ 784-8-10", 0.87, 0.86, 0.87);
    add(runs, "standard:p=0.5 @ 784-16-10", 0.80, 0.82);
    add(runs, "sector:n=8,p=0.5 @ 784-16-10", 0.81, 0.5, 0.9);
    runs.set(runs.size() - 2, new Comparison.Run("sector:n=8,p=0.5 @ 784-16-10", 2, Double.NaN, Double.NaN, 0, 1,
        List.of(), "failed")); // seed 2 failed, seed 3 has no standard run to pair with
    add(runs, "lrp @ 784-32-10", 0.7); // no standard dropout on this architecture: no verdict

    String expected = "\n"
        + pairedLine("none", 0.05, 0.07, 0.06)
        + pairedLine("lrp", 0.02, 0.01, 0.02)
        + pairedLine("ydrop", -0.001, 0.001, -0.001)
        + pairedLine("pfid", -0.03, -0.02, -0.02)
        + "- `sector:n=8,p=0.5 @ 784-16-10`: +1.00 points against standard dropout on one seed both finished: no test.\n";
    assertEquals(expected, ReproductionReport.verdicts(runs));
    // The three kinds of verdict are all there, so the reference's thresholds were exercised.
    assertEquals(List.of(true, true, true), List.of(expected.contains("beats"), expected.contains("loses to"),
        expected.contains("no significant")));
  }

  @Test
  void sweepTableShowsRateAndTheShareReallyDropped() {
    String table = ReproductionReport.sweepTable(List.of(new RateSweep.Point("standard", 0.3, 0.3, 0.9, 0.01, 0.3, 0.02),
        new RateSweep.Point("sector-wise", 0.3, 0.25, 0.8, 0.01, 0.4, 0.02)));
    assertEquals(List.of("| method | rate | dropped | test accuracy | test loss |", "|---|---|---|---|---|",
        "| standard | 0.30 | 0.300 | 0.9000 ± 0.0100 | 0.3000 ± 0.0200 |",
        "| sector-wise | 0.30 | 0.250 | 0.8000 ± 0.0100 | 0.4000 ± 0.0200 |"), table.lines().toList());
  }

  @Test
  void identicalRunsAreNoDifference() {
    List<Comparison.Run> a = new ArrayList<>();
    List<Comparison.Run> b = new ArrayList<>();
    add(a, "a", 0.9, 0.8);
    add(b, "b", 0.9, 0.8);
    PairedDifference d = PairedDifference.of(a, b);
    assertEquals(new PairedDifference(2, 0, 0, 1), d);
  }
}
