package dev.dropwise.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.analysis.UncertaintyEvaluation;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.HeldOutClasses;
import dev.dropwise.data.KnownClasses;
import dev.dropwise.data.Shift;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncertaintyStudyTest {
  /**
   * A dropout-free model, standard dropout at the size's rate and Y-Drop (frozen), and an ensemble
   * of one member: 200 images, two seeds, one epoch, three passes.
   */
  static final UncertaintyPlan.Budget TINY =
      new UncertaintyPlan.Budget(
          "tiny",
          List.of("none", "standard:p={rate}", "ydrop"),
          "standard:p={rate}",
          List.of(16),
          List.of(new StudySize(200, List.of(1L, 2L), 0.25, 1, 0, "a test's choice")),
          3,
          1,
          60,
          40,
          8);

  @Test
  void theTestSetsAreTheKnownClassesTheHeldOutOnesAndTheKnownOnesUnderEveryShift()
      throws Exception {
    ClassificationData embedded = TestSupport.embedded();
    Dataset test = embedded.unscaledTest();
    HeldOutClasses held =
        HeldOutClasses.of(
            UncertaintyPlan.HELD_OUT,
            KnownClasses.ofTrainingData(embedded.classNames()),
            "heldOut");
    UncertaintyRun.TestSets sets = UncertaintyStudy.testSets(test, held, embedded.shape(), TINY);
    assertEquals(60, sets.known().size());
    assertEquals(40, sets.unknown().size());
    assertTrue(Arrays.stream(sets.known().labels()).allMatch(l -> l < 8));
    assertTrue(Arrays.stream(sets.unknown().labels()).allMatch(l -> l == 8 || l == 9));
    // The known ones are the first of the test set that are not of class 8 or 9, in order.
    int[] expected = Arrays.stream(test.labels()).filter(l -> l < 8).limit(60).toArray();
    assertArrayEquals(expected, sets.known().labels());
    assertEquals(8 * Shift.values().length, sets.shifted().size());
    Dataset first = sets.known().head(8);
    for (int s = 0; s < Shift.values().length; s++) {
      Dataset shifted =
          Shift.values()[s].apply(
              first, embedded.shape(), Shift.SEVERITIES, UncertaintyEvaluation.SHIFT_SEED);
      float[] part = Arrays.copyOfRange(sets.shifted().features(), s * 8 * 784, (s + 1) * 8 * 784);
      assertArrayEquals(shifted.features(), part, Shift.values()[s].text());
    }
  }

  @Test
  void theSectionRunsEndToEndKeepsTheRestOfTheReportAndARerunTrainsNothing(@TempDir Path dir)
      throws Exception {
    Path report = dir.resolve("results.md");
    Files.writeString(report, "# dropwise reproduction report\n\nThe main part.\n");
    Path runs = dir.resolve("runs");
    ReproductionReportTest.RecordingCharts charts = new ReproductionReportTest.RecordingCharts();
    write(report, runs, charts, (m, seed) -> ProgressListener.NONE);
    String md = Files.readString(report);
    assertTrue(
        md.startsWith(
            "# dropwise reproduction report\n\nThe main part.\n\n" + UncertaintyStudy.BEGIN),
        md);
    assertTrue(md.endsWith(UncertaintyStudy.END + "\n"), md);

    Map<String, Map<Long, UncertaintyRun>> kept = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(runs.resolve("fashion-200"))) {
      for (Path f :
          files
              .filter(f -> f.toString().endsWith(".json"))
              .filter(f -> !f.getFileName().toString().equals(KeptRuns.SETTINGS))
              .toList()) {
        UncertaintyRun run = Json.MAPPER.readValue(f.toFile(), UncertaintyRun.class);
        assertFalse(run.failed(), run.error());
        kept.computeIfAbsent(run.method(), k -> new LinkedHashMap<>()).put(run.seed(), run);
      }
    }
    assertEquals(
        List.of("ensemble", "none", "standard:p=0.25", "ydrop"),
        kept.keySet().stream().sorted().toList(),
        "the rate written into the methods, the ensemble beside them");
    kept.values()
        .forEach(
            bySeed -> assertEquals(List.of(1L, 2L), bySeed.keySet().stream().sorted().toList()));

    for (long seed : List.of(1L, 2L)) {
      UncertaintyRun none = kept.get("none").get(seed);
      UncertaintyRun ensemble = kept.get("ensemble").get(seed);
      assertEquals("serving_default", none.predictor());
      assertEquals("mc_dropout (T=3)", kept.get("ydrop").get(seed).predictor());
      // A dropout-free model cannot sample, so its row is serving_default's: the same numbers.
      assertEquals(none.deterministic(), none.measures());
      // An ensemble of one member is the dropout-free model of the same seed, trained alike: the
      // member path averages one sample and must give serving_default's numbers; with one member
      // there is no disagreement, so the mutual information ranks nothing (AUROC 1/2).
      for (String measure :
          List.of("accuracy", "nll", "brier", "ece", "aurc", "ood_auroc_entropy")) {
        assertEquals(none.measures().get(measure), ensemble.measures().get(measure), 1e-6, measure);
        if (!measure.startsWith("ood_")) {
          assertEquals(
              none.measures().get("shifted_" + measure),
              ensemble.measures().get("shifted_" + measure),
              1e-6,
              "shifted_" + measure);
        }
      }
      assertEquals(0.5, ensemble.measures().get("ood_auroc_mutual_information"), 0.0);
      assertFalse(none.measures().containsKey("ood_auroc_mutual_information"));
    }

    // The difference table: Y-Drop's NLL against standard dropout's, paired by seed, recomputed.
    double[] ydrop = nll(kept.get("ydrop"));
    double[] standard = nll(kept.get("standard:p=0.25"));
    double mean = (ydrop[0] - standard[0] + ydrop[1] - standard[1]) / 2;
    String row =
        md.lines()
            .dropWhile(l -> !l.startsWith("Against `standard:p=0.25`"))
            .filter(l -> l.startsWith("| `ydrop` |"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        row.split("\\|")[2].trim().startsWith(String.format(Locale.ROOT, "%+.4f ± ", mean)), row);
    // Holm over every comparison: three predictors × the seven tested measures (the unshifted
    // accuracy is shown, not tested), less the MI of `none`.
    assertTrue(md.contains("Holm's correction runs over the 20 tests below."), md);
    assertEquals(8, charts.drawn.size(), "a chart per measure");
    assertEquals(
        4 * 7 + 3,
        charts.measurePoints.size(),
        "a point per predictor and measure, but none for the MI of `none`");

    // Again: every run is read back, nothing is trained, the same section comes out.
    write(
        report,
        runs,
        charts,
        (m, seed) -> {
          throw new AssertionError("a rerun trains nothing: " + m + " seed " + seed);
        });
    assertEquals(md, Files.readString(report));

    // Runs made with other settings are never mixed in: more passes, the same runs directory.
    UncertaintyPlan.Budget morePasses =
        new UncertaintyPlan.Budget(
            TINY.name(),
            TINY.methods(),
            TINY.baseline(),
            TINY.hidden(),
            TINY.sizes(),
            5,
            TINY.members(),
            TINY.knownExamples(),
            TINY.unknownExamples(),
            TINY.shiftedExamples());
    IllegalArgumentException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                UncertaintyStudy.write(
                    TestSupport.embedded(),
                    morePasses,
                    report,
                    runs,
                    "test",
                    charts,
                    (m, seed) -> {
                      throw new AssertionError("refused before any training");
                    },
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    false));
    assertTrue(
        refused.getMessage().contains("were made with other settings"), refused.getMessage());
    assertEquals(md, Files.readString(report), "the report is left as it was");
  }

  private static void write(
      Path report,
      Path runs,
      ChartWriter charts,
      BiFunction<String, Long, ProgressListener> progress)
      throws IOException {
    UncertaintyStudy.write(
        TestSupport.embedded(),
        TINY,
        report,
        runs,
        "./dropwise report --section uncertainty (test)",
        charts,
        progress,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        false);
  }

  private static double[] nll(Map<Long, UncertaintyRun> bySeed) {
    return new double[] {
      bySeed.get(1L).measures().get("nll"), bySeed.get(2L).measures().get("nll")
    };
  }

  @Test
  void pairedValuesGiveTheDifferenceItsIntervalAndTheTestOfPairedRuns() {
    double[] x = {0.31, 0.35, 0.29, 0.40};
    double[] y = {0.30, 0.31, 0.30, 0.33};
    PairedDifference d = PairedDifference.of(x, y);
    double[] diff = {0.01, 0.04, -0.01, 0.07};
    double mean = Arrays.stream(diff).average().orElseThrow();
    double sd =
        Math.sqrt(Arrays.stream(diff).map(v -> (v - mean) * (v - mean)).sum() / (diff.length - 1));
    assertEquals(4, d.seeds());
    assertEquals(mean, d.meanPoints(), 1e-12);
    // t(0.975, 3) = 3.182446305284263 (scipy.stats.t.ppf).
    assertEquals(3.182446305284263 * sd / 2, d.halfWidthPoints(), 1e-12);
    assertEquals(mean / (sd / 2), d.t(), 1e-9);
    // A pair with a NaN is left out.
    assertEquals(
        3,
        PairedDifference.of(new double[] {1, 2, Double.NaN, 4}, new double[] {0, 1, 1, 2}).seeds());
  }
}
