package dev.dropwise.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReproductionReportTest {

  private static Comparison.Summary summary(String method, double accuracy, double std) {
    return new Comparison.Summary(method, 5, accuracy, std, 0.3, 0.01, 20, 100, 0);
  }

  /** Each method is set against standard dropout on its own architecture; "within the spread" when |Δ| ≤ std + std. */
  @Test
  void verdictsCompareEachMethodWithStandardDropoutOnTheSameArchitecture() {
    String verdicts = ReproductionReport.verdicts(List.of(
        summary("none @ 784-8-10", 0.95, 0.001),
        summary("standard:p=0.5 @ 784-8-10", 0.90, 0.002),
        summary("lrp @ 784-8-10", 0.91, 0.002),
        summary("ydrop @ 784-8-10", 0.899, 0.002),
        summary("standard:p=0.5 @ 784-16-10", 0.80, 0.01),
        summary("pfid @ 784-16-10", 0.81, 0.001)));
    assertEquals("""

        - `lrp` on 784-8-10: +1.00 points against standard dropout (beats it by the mean).
        - `ydrop` on 784-8-10: -0.10 points against standard dropout (does not beat it, within the seeds' spread).
        - `pfid` on 784-16-10: +1.00 points against standard dropout (beats it by the mean, within the seeds' spread).
        """, verdicts, "no-dropout and standard rows get no verdict; each method meets its own architecture's baseline");
  }
}
