package dev.dropwise.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.analysis.ImportanceProfile;
import dev.dropwise.analysis.Robustness;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.RateSweep;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.History;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.util.OutputDirectories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproductionReportTest {

  private static void add(List<Comparison.Run> runs, String method, double... accuracyPerSeed) {
    for (int s = 0; s < accuracyPerSeed.length; s++) {
      runs.add(
          new Comparison.Run(method, s + 1, 0.3, accuracyPerSeed[s], 20, 100, List.of(), null));
    }
  }

  /** Three paired differences' t statistic (df = 2). */
  private static double t(double... differences) {
    double mean = (differences[0] + differences[1] + differences[2]) / 3;
    double variance = 0;
    for (double d : differences) {
      variance += (d - mean) * (d - mean) / 2;
    }
    return mean / (Math.sqrt(variance) / Math.sqrt(3));
  }

  /** Its two-sided p: at df = 2 Student's t has the closed form p = 1 − |t| / √(t² + 2). */
  private static double p(double... differences) {
    double t = t(differences);
    return 1 - Math.abs(t) / Math.sqrt(t * t + 2);
  }

  /**
   * The verdict line of three pairs, its call made at {@code holm} (its Holm-adjusted p over 4
   * tests); df = 2 has a known 97.5% quantile.
   */
  private static String pairedLine(String method, double holm, double... differences) {
    double mean = (differences[0] + differences[1] + differences[2]) / 3;
    double variance = 0;
    for (double d : differences) {
      variance += (d - mean) * (d - mean) / 2;
    }
    double t = t(differences);
    double p = p(differences);
    String verdict =
        holm >= 0.05
            ? "no significant difference"
            : mean > 0 ? "beats standard dropout" : "loses to standard dropout";
    // df = 2: t(0.975) = 4.302652729911275.
    double half = 100 * 4.302652729911275 * Math.sqrt(variance) / Math.sqrt(3);
    return String.format(
        Locale.ROOT,
        "- `%s @ 784-8-10`: %+.2f points (95%% CI %+.2f to %+.2f) against standard dropout "
            + "over 3 paired seeds (t = %.2f, p = %.3f, Holm p = %.3f over 4 tests): %s.%n",
        method,
        100 * mean,
        100 * mean - half,
        100 * mean + half,
        t,
        p,
        holm,
        verdict);
  }

  @Test
  void verdictsPairEveryMethodWithStandardDropoutOnItsArchitectureBySeed() {
    List<Comparison.Run> runs = new ArrayList<>();
    add(runs, "none @ 784-8-10", 0.95, 0.95, 0.95);
    add(runs, "standard:p=0.5 @ 784-8-10", 0.90, 0.88, 0.89);
    add(runs, "lrp @ 784-8-10", 0.92, 0.89, 0.91);
    add(runs, "ydrop @ 784-8-10", 0.899, 0.881, 0.889);
    add(runs, "pfid @ 784-8-10", 0.87, 0.849, 0.861);
    add(runs, "standard:p=0.5 @ 784-16-10", 0.80, 0.82);
    add(runs, "sector:n=8,p=0.5 @ 784-16-10", 0.81, 0.5, 0.9);
    runs.set(
        runs.size() - 2,
        new Comparison.Run(
            "sector:n=8,p=0.5 @ 784-16-10",
            2,
            Double.NaN,
            Double.NaN,
            0,
            1,
            List.of(),
            "failed")); // seed 2 failed, seed 3 has no standard run to pair with
    add(runs, "lrp @ 784-32-10", 0.7); // no standard dropout on this architecture: no verdict

    // Holm over the four tests (sector's has one pair: no test), by hand: p ascending is pfid,
    // none, lrp, ydrop, multiplied by 4, 3, 2, 1 and kept from falling.
    double[] none = {0.05, 0.07, 0.06};
    double[] lrp = {0.02, 0.01, 0.02};
    double[] ydrop = {-0.001, 0.001, -0.001};
    double[] pfid = {-0.03, -0.031, -0.029};
    assertTrue(p(pfid) < p(none) && p(none) < p(lrp) && p(lrp) < p(ydrop));
    double holmPfid = 4 * p(pfid);
    double holmNone = Math.max(holmPfid, 3 * p(none));
    double holmLrp = Math.max(holmNone, 2 * p(lrp));
    double holmYdrop = Math.min(1, Math.max(holmLrp, p(ydrop)));
    // lrp alone would be called significant; one of four comparisons, it is not.
    assertTrue(p(lrp) < 0.05 && holmLrp >= 0.05, p(lrp) + " " + holmLrp);
    String expected =
        "\n"
            + pairedLine("none", holmNone, none)
            + pairedLine("lrp", holmLrp, lrp)
            + pairedLine("ydrop", holmYdrop, ydrop)
            + pairedLine("pfid", holmPfid, pfid)
            + "- `sector:n=8,p=0.5 @ 784-16-10`: +1.00 points against standard dropout on one seed both finished: no test.\n";
    assertEquals(expected, ReproductionPage.verdicts(runs));
    // The three kinds of verdict are all there, so the reference's thresholds were exercised.
    assertEquals(
        List.of(true, true, true),
        List.of(
            expected.contains("beats"),
            expected.contains("loses to"),
            expected.contains("no significant")));
  }

  @Test
  void sweepTableShowsRateAndTheShareReallyDropped() {
    String table =
        ReproductionPage.sweepTable(
            List.of(
                new RateSweep.Point("standard", 0.3, 0.3, 0.9, 0.01, 0.3, 0.02),
                new RateSweep.Point("sector-wise", 0.3, 0.25, 0.8, 0.01, 0.4, 0.02)));
    assertEquals(
        List.of(
            "| method | rate | dropped | test accuracy | test loss |",
            "|---|---|---|---|---|",
            "| standard | 0.30 | 0.300 | 0.9000 ± 0.0100 | 0.3000 ± 0.0200 |",
            "| sector-wise | 0.30 | 0.250 | 0.8000 ± 0.0100 | 0.4000 ± 0.0200 |"),
        table.lines().toList());
  }

  /** Records which charts the report asks for and writes a placeholder file for each. */
  static final class RecordingCharts implements ChartWriter {
    final List<String> drawn = new ArrayList<>();

    private List<Path> write(Path dir, String name) throws IOException {
      OutputDirectories.claim("chart directory", dir);
      drawn.add(name);
      return List.of(Files.writeString(dir.resolve(name + ".png"), name));
    }

    @Override
    public List<Path> history(History history, String title, Path dir) throws IOException {
      return write(dir, "history");
    }

    @Override
    public List<Path> faithfulness(
        List<dev.dropwise.analysis.FaithfulnessEvaluation.Result> results,
        List<dev.dropwise.analysis.UnitFlipping.Result> units,
        String title,
        Path dir,
        String name)
        throws IOException {
      return write(dir, name);
    }

    @Override
    public List<Path> inputRelevance(
        dev.dropwise.analysis.RelevanceMaps maps, String title, Path dir, String name)
        throws IOException {
      return write(dir, name);
    }

    @Override
    public List<Path> comparison(List<Comparison.Summary> summaries, String title, Path dir)
        throws IOException {
      assertEquals(
          ReproductionReport.METHODS.size(),
          summaries.size(),
          "one bar per method of the Table 2 analogue");
      return write(dir, "comparison");
    }

    @Override
    public List<Path> profiles(
        List<ImportanceProfile> profiles, String title, Path dir, String name) throws IOException {
      return write(dir, name);
    }

    @Override
    public List<Path> robustness(
        Map<String, List<Robustness.Point>> curves, String title, Path dir, String name)
        throws IOException {
      return write(dir, name);
    }

    @Override
    public List<Path> rateSweep(List<RateSweep.Point> points, String title, Path dir, String name)
        throws IOException {
      assertEquals(4, points.size(), "standard and sector-wise at two rates");
      return write(dir, name);
    }

    final List<SmallDataStudy.SizePoint> sizePoints = new ArrayList<>();

    @Override
    public List<Path> differenceBySize(
        List<SmallDataStudy.SizePoint> points, String title, Path dir, String name)
        throws IOException {
      sizePoints.addAll(points);
      return write(dir, name);
    }

    final List<UncertaintyStudy.MeasurePoint> measurePoints = new ArrayList<>();
    final List<PrunabilityStudy.CurvePoint> curvePoints = new ArrayList<>();

    @Override
    public List<Path> measureByMethod(
        List<UncertaintyStudy.MeasurePoint> points, String title, Path dir, String name)
        throws IOException {
      measurePoints.addAll(points);
      return write(dir, name);
    }

    @Override
    public List<Path> prunability(
        List<PrunabilityStudy.CurvePoint> points, String title, Path dir, String name)
        throws IOException {
      curvePoints.addAll(points);
      return write(dir, name);
    }

    @Override
    public List<Path> pruningSweep(
        List<dev.dropwise.experiments.PruningSweep.Point> points,
        String title,
        Path dir,
        String name)
        throws IOException {
      return write(dir, name);
    }
  }

  @Test
  void theWholeReportRunsEndToEndOnATinyBudgetAndResumesFromItsRuns(@TempDir Path dir)
      throws IOException {
    ReproductionPlan.Budget tiny =
        new ReproductionPlan.Budget(
            "tiny",
            List.of(List.of(16)),
            List.of(1L, 2L),
            1,
            0,
            300,
            1,
            List.of(16),
            1,
            50,
            2,
            new double[] {0.25, 0.5},
            List.of(1L),
            1);
    Path report = dir.resolve("report.md");
    Path runs = dir.resolve("runs");
    RecordingCharts charts = new RecordingCharts();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ReproductionReport.write(
        TestSupport.embedded(),
        tiny,
        report,
        runs,
        "./dropwise report (test)",
        charts,
        (m, s) -> ProgressListener.NONE,
        new PrintStream(log, true, StandardCharsets.UTF_8),
        false);

    String md = Files.readString(report);
    assertTrue(
        md.startsWith(
            "# dropwise reproduction report\n\nWritten by `./dropwise report (test)` (budget **tiny**)"),
        md);
    for (String method : ReproductionReport.METHODS) {
      assertTrue(
          md.contains("| `" + method + " @ 784-16-10` |"),
          "a Table 2 row for " + method + ":\n" + md);
    }
    for (String section :
        List.of(
            "## Table 2 analogue",
            "## The official LRP-guided notebook's setting",
            "## Importance profiles (Y-Drop Fig. 2)",
            "## Robustness (Y-Drop Fig. 3)",
            "## Rate sweep")) {
      assertTrue(md.contains(section), section);
    }
    assertEquals(List.of("comparison", "profiles", "robustness", "rate-sweep"), charts.drawn);
    for (String chart : charts.drawn) {
      assertTrue(md.contains("(report/" + chart + ".png)"), "the report links " + chart);
    }
    assertEquals(12, jsonFiles(runs.resolve("table2")), "6 methods x 2 seeds");
    assertEquals(4, jsonFiles(runs.resolve("sweep")), "2 methods x 2 rates x 1 seed");
    assertTrue(jsonFiles(runs.resolve("official")) > 0);

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    ReproductionReport.write(
        TestSupport.embedded(),
        tiny,
        report,
        runs,
        "./dropwise report (test)",
        new RecordingCharts(),
        (m, s) -> ProgressListener.NONE,
        new PrintStream(again, true, StandardCharsets.UTF_8),
        false);
    long reused =
        again
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("done before: "))
            .count();
    assertEquals(
        12 + jsonFiles(runs.resolve("official")) + 4,
        reused,
        "every sweep run comes from the runs directory");
  }

  private static long jsonFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json")).count();
    }
  }
}
