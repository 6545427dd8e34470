package dev.dropwise.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.experiments.Holm;
import dev.dropwise.experiments.PairedDifference;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecurrentStudyTest {
  /** Three arms (the plan's own layers for two of them) on 200 embedded images, LSTMs of 4. */
  static RecurrentPlan.Budget tiny(int maxEpochs) {
    RecurrentPlan.Budget plan = RecurrentPlan.Budget.SMALL;
    return new RecurrentPlan.Budget(
        "tiny",
        List.of(plan.arm("none"), plan.arm("variational"), plan.arm("ydrop over time")),
        "none",
        List.of(List.of("variational", "ydrop over time")),
        200,
        4,
        List.of(1L, 2L),
        maxEpochs,
        0,
        32,
        0.01);
  }

  static String write(RecurrentPlan.Budget budget, Path report, Path runs, boolean partial)
      throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    RecurrentStudy.write(
        TestSupport.embedded(),
        budget,
        report,
        runs,
        "a test",
        (m, seed) -> ProgressListener.NONE,
        new PrintStream(log, true, StandardCharsets.UTF_8),
        partial);
    return log.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyArmTrainsOnEverySeedTheDifferencesPairBySeedAndARerunTrainsNothing(@TempDir Path dir)
      throws Exception {
    Path report = dir.resolve("results.md");
    Files.writeString(report, "# dropwise reproduction report\n\nThe main part.\n");
    Path runs = dir.resolve("runs");
    RecurrentPlan.Budget budget = tiny(1);
    assertEquals(6, write(budget, report, runs, false).lines().count(), "3 arms x 2 seeds");
    String md = Files.readString(report);
    assertTrue(md.startsWith("# dropwise reproduction report\n\nThe main part.\n\n"), md);
    assertTrue(md.endsWith(RecurrentStudy.END + "\n"), md);
    assertTrue(md.contains("`lstm(units=4,input=standard(p=0.25),state=standard(p=0.25))`"), md);

    KeptRuns kept = new KeptRuns(runs, null);
    Map<String, Map<Long, Double>> accuracy = new LinkedHashMap<>();
    for (String arm : List.of("none", "variational", "ydrop over time")) {
      for (long seed = 1; seed <= 2; seed++) {
        RecurrentRun run = kept.kept(arm, seed, RecurrentRun.class);
        assertFalse(run.failed(), run.error());
        assertEquals(1, run.epochs());
        assertTrue(
            run.testAccuracy() > 0 && run.testAccuracy() <= 1, "accuracy " + run.testAccuracy());
        accuracy.computeIfAbsent(arm, k -> new LinkedHashMap<>()).put(seed, run.testAccuracy());
      }
    }
    // Every arm against none, and the plan's pair: three tests, Holm over them.
    Map<String, PairedDifference> differences = new LinkedHashMap<>();
    differences.put(
        "variational − none",
        PairedDifference.bySeed(accuracy.get("variational"), accuracy.get("none")));
    differences.put(
        "ydrop over time − none",
        PairedDifference.bySeed(accuracy.get("ydrop over time"), accuracy.get("none")));
    differences.put(
        "ydrop over time − variational",
        PairedDifference.bySeed(accuracy.get("ydrop over time"), accuracy.get("variational")));
    Map<String, Double> holm = Holm.adjust(differences);
    assertTrue(md.contains("over the 3 tests of this section"), md);
    assertTrue(md.contains("Every run trained all 1 epochs: the budget ended training"), md);
    differences.forEach(
        (name, d) ->
            assertTrue(
                md.contains("| " + name + " | " + StudyCells.difference(d, holm.get(name)) + " |"),
                name + " in\n" + md));
    assertTrue(
        md.contains(
            String.format(
                Locale.ROOT,
                "| none | 2 | %s |",
                StudyCells.meanAndHalfWidth(
                    accuracy.get("none").values().stream()
                        .mapToDouble(Double::doubleValue)
                        .toArray()))),
        md);

    // A rerun keeps the runs and the section; --partial likewise.
    assertEquals("", write(budget, report, runs, false), "nothing retrained");
    assertEquals(md, Files.readString(report));
    write(budget, report, runs, true);
    assertEquals(md, Files.readString(report));

    // Runs made with other settings are refused before any work, the report as it was.
    var refused =
        assertThrows(IllegalArgumentException.class, () -> write(tiny(2), report, runs, false));
    assertTrue(
        refused.getMessage().contains("were made with other settings"), refused.getMessage());
    assertEquals(md, Files.readString(report));
  }

  @Test
  void aPartialSectionSaysHowManyRunsItHas(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("results.md");
    write(tiny(1), report, dir.resolve("runs"), true);
    String md = Files.readString(report);
    assertTrue(md.contains("| none | 0 | — |"), md);
    assertTrue(md.contains("from 0 of the 6 runs planned"), md);
    assertFalse(md.contains("Every run trained"), "no runs, no claim about them");
  }
}
