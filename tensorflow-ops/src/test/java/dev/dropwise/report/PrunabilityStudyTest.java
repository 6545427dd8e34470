package dev.dropwise.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrunabilityStudyTest {
  /**
   * No dropout and standard dropout at the size's rate, 32-16 hidden units, pruned by magnitude to
   * half and a quarter, as pruned and after one epoch: 200 images, two seeds, one epoch.
   */
  static final PrunabilityPlan.Budget TINY =
      new PrunabilityPlan.Budget(
          "tiny",
          List.of("none", "standard:p={rate}"),
          "standard:p={rate}",
          List.of(32, 16),
          List.of("magnitude-l1"),
          List.of(0.5, 0.25),
          1,
          50,
          List.of(new StudySize(200, List.of(1L, 2L), 0.25, 1, 0, "a test's choice")));

  @Test
  void theSectionPrunesEveryTrainingEveryWayAndARerunTrainsNothing(@TempDir Path dir)
      throws Exception {
    Path report = dir.resolve("results.md");
    Files.writeString(report, "# dropwise reproduction report\n\nThe main part.\n");
    Path runs = dir.resolve("runs");
    ReproductionReportTest.RecordingCharts charts = new ReproductionReportTest.RecordingCharts();
    write(TINY, report, runs, charts, (m, seed) -> ProgressListener.NONE);
    String md = Files.readString(report);
    assertTrue(md.startsWith("# dropwise reproduction report\n\nThe main part.\n\n"), md);
    assertTrue(md.endsWith(PrunabilityStudy.END + "\n"), md);

    KeptRuns kept = new KeptRuns(runs.resolve("fashion-200"), null);
    Map<String, PrunabilityRun[]> byMethod =
        Map.of(
            "none", new PrunabilityRun[2],
            "standard:p=0.25", new PrunabilityRun[2]);
    for (String method : byMethod.keySet()) {
      for (int s = 0; s < 2; s++) {
        PrunabilityRun run = kept.kept(method, s + 1, PrunabilityRun.class);
        assertFalse(run.failed(), run.error());
        // One ranking x two shares x (as pruned, fine-tuned).
        assertEquals(4, run.cuts().size());
        // 784-32-16-10 has 784·32+32 + 32·16+16 + 16·10+10 parameters; half of every hidden layer
        // 784·16+16 + 16·8+8 + 8·10+10; a quarter 784·8+8 + 8·4+4 + 4·10+10.
        assertEquals(784 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10, run.parameters());
        assertEquals(
            784 * 16 + 16 + 16 * 8 + 8 + 8 * 10 + 10, run.cut("magnitude-l1", 0.5, 1).parameters());
        assertEquals(
            784 * 8 + 8 + 8 * 4 + 4 + 4 * 10 + 10, run.cut("magnitude-l1", 0.25, 0).parameters());
        byMethod.get(method)[s] = run;
      }
    }

    // The table's difference at a quarter, fine-tuned, recomputed from the kept runs by seed.
    PrunabilityRun[] none = byMethod.get("none");
    PrunabilityRun[] standard = byMethod.get("standard:p=0.25");
    double mean = 0;
    for (int s = 0; s < 2; s++) {
      mean +=
          (none[s].cut("magnitude-l1", 0.25, 1).accuracy()
                  - standard[s].cut("magnitude-l1", 0.25, 1).accuracy())
              / 2;
    }
    String row = md.lines().filter(l -> l.startsWith("| Δ `none` |")).findFirst().orElseThrow();
    assertTrue(
        row.split("\\|")[5].trim().startsWith(String.format(Locale.ROOT, "%+.4f ± ", mean)), row);
    assertTrue(md.contains("Holm's correction runs over the 4 tests below."), md);

    // The smallest share within a point of the unpruned standard-dropout network, recomputed.
    double reference = (standard[0].accuracy() + standard[1].accuracy()) / 2;
    for (String method : byMethod.keySet()) {
      PrunabilityRun[] r = byMethod.get(method);
      String expected = "—";
      if ((r[0].accuracy() + r[1].accuracy()) / 2 >= reference - 0.01) {
        expected = "1.0";
      }
      for (double keep : List.of(0.5, 0.25)) {
        double at =
            (r[0].cut("magnitude-l1", keep, 0).accuracy()
                    + r[1].cut("magnitude-l1", keep, 0).accuracy())
                / 2;
        if (at >= reference - 0.01) {
          expected = String.valueOf(keep);
        }
      }
      String line =
          md.lines()
              .dropWhile(l -> !l.startsWith("The smallest share kept"))
              .filter(l -> l.startsWith("| `" + method + "` |"))
              .findFirst()
              .orElseThrow();
      assertEquals(expected, line.split("\\|")[2].trim(), line);
    }
    assertEquals(1, charts.drawn.size(), "a chart per size");
    // Per training and fine-tuning: the unpruned network, then each share.
    assertEquals(2 * 2 * 3, charts.curvePoints.size());

    // Again: every run is read back, nothing is trained, the same section comes out.
    write(
        TINY,
        report,
        runs,
        charts,
        (m, seed) -> {
          throw new AssertionError("a rerun trains nothing: " + m + " seed " + seed);
        });
    assertEquals(md, Files.readString(report));

    // A cut that failed alone leaves its run standing: the section says so, and that seed is left
    // out of that cut's pair only.
    PrunabilityRun withFailure =
        new PrunabilityRun(
            none[1].method(),
            none[1].seed(),
            none[1].epochs(),
            none[1].seconds(),
            none[1].accuracy(),
            none[1].parameters(),
            none[1].cuts().stream()
                .filter(c -> !(c.keep() == 0.25 && c.fineTuneEpochs() == 1))
                .toList(),
            List.of("magnitude-l1 keeping 0.25 fine-tuned: the weights diverged"),
            null);
    kept.keep("none", 2, withFailure);
    PrunabilityStudy.write(
        TestSupport.embedded(),
        TINY,
        report,
        runs,
        "test",
        charts,
        (m, seed) -> {
          throw new AssertionError("partial trains nothing");
        },
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        true);
    String partial = Files.readString(report);
    assertTrue(
        partial.contains(
            "Failed: `none` seed 2, magnitude-l1 keeping 0.25 fine-tuned: the weights diverged"),
        partial);
    String oneSeed =
        partial.lines().filter(l -> l.startsWith("| `none` |")).skip(1).findFirst().orElseThrow();
    assertTrue(
        oneSeed
            .split("\\|")[5]
            .trim()
            .equals(
                String.format(
                    Locale.ROOT, "%.4f ± —", none[0].cut("magnitude-l1", 0.25, 1).accuracy())),
        oneSeed);
    kept.keep("none", 2, none[1]);
    write(
        TINY,
        report,
        runs,
        charts,
        (m, seed) -> {
          throw new AssertionError("every run is kept again: " + m + " seed " + seed);
        });
    assertEquals(md, Files.readString(report));

    // Runs made with other settings are never mixed in: another share, the same runs directory.
    PrunabilityPlan.Budget otherShares =
        new PrunabilityPlan.Budget(
            TINY.name(),
            TINY.methods(),
            TINY.baseline(),
            TINY.hidden(),
            TINY.rankings(),
            List.of(0.5),
            TINY.fineTuneEpochs(),
            TINY.rankedOn(),
            TINY.sizes());
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                write(
                    otherShares,
                    report,
                    runs,
                    charts,
                    (m, seed) -> {
                      throw new AssertionError("refused before any training");
                    }));
    assertTrue(
        refused.getMessage().contains("were made with other settings"), refused.getMessage());
    assertEquals(md, Files.readString(report), "the report is left as it was");
  }

  private static void write(
      PrunabilityPlan.Budget budget,
      Path report,
      Path runs,
      ChartWriter charts,
      BiFunction<String, Long, ProgressListener> progress)
      throws IOException {
    PrunabilityStudy.write(
        TestSupport.embedded(),
        budget,
        report,
        runs,
        "./dropwise report --section prunability (test)",
        charts,
        progress,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        false);
  }
}
