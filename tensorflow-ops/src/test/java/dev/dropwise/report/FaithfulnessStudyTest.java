package dev.dropwise.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaithfulnessStudyTest {
  /**
   * A 16-unit MLP and a small CNN on 200 embedded images, two attributions and two measures beside
   * their baselines, two seeds, one epoch, 6 test examples in 3 steps.
   */
  static final FaithfulnessPlan.Budget TINY =
      new FaithfulnessPlan.Budget(
          "tiny",
          "standard:p=0.25",
          List.of("lrp", "gradient-x-input", "grad-cam"),
          List.of("conductance", "activation", "gradient"),
          "lrp",
          "conductance",
          List.of("ydrop"),
          List.of(
              new FaithfulnessPlan.Model("mlp", "fashion", "16", "a test's choice"),
              new FaithfulnessPlan.Model("cnn", "fashion", "conv:4x3,pool:2,dense:8", "a CNN")),
          200,
          List.of(1L, 2L),
          1,
          0,
          6,
          3);

  static String write(Path report, Path runs, boolean partial) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    FaithfulnessStudy.write(
        TestSupport.embedded(),
        TINY,
        report,
        runs,
        "a test",
        (m, seed) -> ProgressListener.NONE,
        new PrintStream(log, true, StandardCharsets.UTF_8),
        partial);
    return log.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyModelIsMeasuredEveryWayTheTablesPairBySeedAndARerunTrainsNothing(@TempDir Path dir)
      throws Exception {
    Path report = dir.resolve("results.md");
    Files.writeString(report, "# dropwise reproduction report\n\nThe main part.\n");
    Path runs = dir.resolve("runs");
    assertEquals(
        4 + 12,
        write(report, runs, false).lines().count(),
        "2 models x 2 seeds trained, then Y-Drop with 3 measures on each");
    String md = Files.readString(report);
    assertTrue(md.startsWith("# dropwise reproduction report\n\nThe main part.\n\n"), md);
    assertTrue(md.endsWith(FaithfulnessStudy.END + "\n"), md);

    FaithfulnessRun[][] kept = new FaithfulnessRun[2][2];
    for (int m = 0; m < 2; m++) {
      String model = m == 0 ? "mlp" : "cnn";
      KeptRuns dirOf = new KeptRuns(runs.resolve(model), null);
      for (int s = 0; s < 2; s++) {
        FaithfulnessRun run = dirOf.kept(model, s + 1, FaithfulnessRun.class);
        assertFalse(run.failed(), run.error());
        // The random floor first; Grad-CAM only where there are feature maps.
        assertEquals(
            m == 0
                ? List.of("random", "lrp", "gradient-x-input")
                : List.of("random", "lrp", "gradient-x-input", "grad-cam"),
            List.copyOf(run.attributions().keySet()));
        assertEquals(
            List.of("random", "conductance", "activation", "gradient"),
            List.copyOf(run.units().keySet()));
        assertTrue(Double.isNaN(run.attributions().get("random").rho()), "no cascade for random");
        FaithfulnessRun.Scores lrp = run.attributions().get("lrp");
        assertEquals(lrp.aopcMorf() - lrp.aopcLerf(), lrp.gap(), 1e-12);
        kept[m][s] = run;
      }
    }
    // The CNN's gradient x input gap against LRP's, recomputed from the kept runs by seed, and
    // Holm's m: per model, every ranking but random and the baseline, of both kinds.
    PairedDifference d =
        PairedDifference.of(
            new double[] {
              kept[1][0].attributions().get("gradient-x-input").gap(),
              kept[1][1].attributions().get("gradient-x-input").gap()
            },
            new double[] {
              kept[1][0].attributions().get("lrp").gap(), kept[1][1].attributions().get("lrp").gap()
            });
    assertTrue(
        md.contains(
            String.format(
                Locale.ROOT,
                "%+.4f ± %s",
                d.meanPoints(),
                StudyCells.fourPlaces(d.halfWidthPoints()))),
        md);
    assertEquals(
        2, md.split("\\| attribution \\|", -1).length - 1, "an attribution table per model");
    assertTrue(md.contains("### `mlp`") && md.contains("### `cnn`"), md);

    // The second part: on each model Y-Drop by conductance (its default), by the other measure
    // with the wider mean gap, and by the one with the narrower, chosen from the kept runs; each
    // accuracy paired by seed with the default's.
    for (int m = 0; m < 2; m++) {
      String model = m == 0 ? "mlp" : "cnn";
      double activation =
          (kept[m][0].units().get("activation").gap() + kept[m][1].units().get("activation").gap())
              / 2;
      double gradient =
          (kept[m][0].units().get("gradient").gap() + kept[m][1].units().get("gradient").gap()) / 2;
      String best = activation >= gradient ? "activation" : "gradient";
      String worst = best.equals("activation") ? "gradient" : "activation";
      KeptRuns retrained = new KeptRuns(runs.resolve(model).resolve("retrained"), null);
      double[][] accuracy = new double[3][2];
      String[] methods = {"ydrop", "ydrop:importance=" + best, "ydrop:importance=" + worst};
      for (int c = 0; c < 3; c++) {
        for (int s = 0; s < 2; s++) {
          RetrainedRun run = retrained.kept(methods[c], s + 1, RetrainedRun.class);
          assertFalse(run.failed(), run.error());
          assertEquals(methods[c], run.method());
          accuracy[c][s] = run.accuracy();
        }
      }
      assertTrue(md.contains("| `" + methods[2] + "` | `" + worst + "` (least faithful) |"), md);
      PairedDifference swap = PairedDifference.of(accuracy[1], accuracy[0]);
      assertTrue(
          md.contains(
              String.format(
                  Locale.ROOT,
                  "%+.4f ± %s",
                  swap.meanPoints(),
                  StudyCells.fourPlaces(swap.halfWidthPoints()))),
          md);
    }
    assertEquals(
        2, md.split("does the measure matter for dropout\\?", -1).length - 1, "a table per model");

    // A rerun keeps the runs and the section; --partial likewise.
    String again = write(report, runs, false);
    assertEquals("", again, "nothing retrained");
    assertEquals(md, Files.readString(report));
    write(report, runs, true);
    assertEquals(md, Files.readString(report));

    // Runs made with other settings are refused before any work.
    FaithfulnessPlan.Budget other =
        new FaithfulnessPlan.Budget(
            "tiny",
            TINY.method(),
            TINY.attributions(),
            TINY.units(),
            "lrp",
            "conductance",
            TINY.retrain(),
            TINY.models(),
            200,
            TINY.seeds(),
            1,
            0,
            6,
            4);
    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FaithfulnessStudy.write(
                    TestSupport.embedded(),
                    other,
                    report,
                    runs,
                    "a test",
                    (m, seed) -> ProgressListener.NONE,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    false));
    assertTrue(
        refused.getMessage().contains("were made with other settings"), refused.getMessage());
    assertEquals(md, Files.readString(report), "the report as it was");
  }

  /** A table of fewer features than the budget's steps is flipped a feature a step. */
  @Test
  void aTableOfFewerFeaturesThanStepsIsFlippedAFeatureAStep(@TempDir Path dir) throws Exception {
    FaithfulnessPlan.Model wine =
        new FaithfulnessPlan.Model(
            "wine",
            "csv:/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv",
            "8",
            "13 features");
    FaithfulnessPlan.Budget budget =
        new FaithfulnessPlan.Budget(
            "tiny",
            "standard:p=0.25",
            List.of("lrp"),
            List.of("conductance"),
            "lrp",
            "conductance",
            List.of(),
            List.of(wine),
            0,
            List.of(1L),
            1,
            0,
            6,
            20);
    Path report = dir.resolve("results.md");
    FaithfulnessStudy.write(
        TestSupport.embedded(),
        budget,
        report,
        dir.resolve("runs"),
        "a test",
        (m, seed) -> ProgressListener.NONE,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        false);
    FaithfulnessRun run =
        new KeptRuns(dir.resolve("runs/wine"), null).kept("wine", 1, FaithfulnessRun.class);
    assertFalse(run.failed(), run.error());
    assertTrue(Files.readString(report).contains("1 of 1 runs"));
  }
}
