package dev.dropwise.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallDataStudyTest {
  /** Three methods, one tiny subset and the wine table, two seeds, two epochs. */
  static final SmallDataPlan.Budget TINY =
      new SmallDataPlan.Budget(
          "tiny",
          List.of("none", "standard:p=0.5", "sector:n=8,p=0.5"),
          List.of(16),
          List.of(new SmallDataPlan.Size(200, List.of(1L, 2L))),
          List.of(SmallDataPlan.TABLES.get(0)),
          List.of(1L, 2L),
          new double[] {0.3, 0.5},
          2,
          0,
          List.of(200),
          50,
          2);

  @Test
  void aSubsetKeepsTheClassesSharesDrawnByTheSeed() {
    ClassificationData embedded = TestSupport.embedded();
    ClassificationData one = SmallDataStudy.subset(embedded, 200, 1);
    int[] perClass = new int[10];
    Arrays.stream(one.train().labels()).forEach(l -> perClass[l]++);
    // Stratified: each class in its share of the 5,000 embedded images (round(200/5000 * count)).
    int[] counts = new int[10];
    Arrays.stream(embedded.train().labels()).forEach(l -> counts[l]++);
    int[] expected =
        Arrays.stream(counts)
            .map(c -> (int) Math.round(200.0 / embedded.train().size() * c))
            .toArray();
    assertEquals(Arrays.toString(expected), Arrays.toString(perClass));
    assertEquals(200, one.train().size());
    assertEquals(embedded.test().size(), one.test().size(), "the test set stays whole");
    assertTrue(
        Arrays.equals(
            one.train().features(), SmallDataStudy.subset(embedded, 200, 1).train().features()));
    assertFalse(
        Arrays.equals(
            one.train().features(), SmallDataStudy.subset(embedded, 200, 2).train().features()));
    assertNotEquals(
        one.description(),
        SmallDataStudy.subset(embedded, 200, 2).description(),
        "runs are kept per subset");
  }

  @Test
  void theSectionRunsEndToEndKeepsTheRestOfTheReportAndARerunTrainsNothing(@TempDir Path dir)
      throws Exception {
    Path report = dir.resolve("results.md");
    Files.writeString(report, "# dropwise reproduction report\n\nThe main part.\n");
    Path runs = dir.resolve("runs");
    ReproductionReportTest.RecordingCharts charts = new ReproductionReportTest.RecordingCharts();
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    SmallDataStudy.write(
        TestSupport.embedded(),
        TINY,
        ReproductionPlan.Budget.SMALL,
        report,
        runs,
        dir.resolve("no-table2"),
        "./dropwise report --section small-data (test)",
        charts,
        (m, s) -> ProgressListener.NONE,
        new PrintStream(first, true, StandardCharsets.UTF_8),
        false);
    String md = Files.readString(report);
    assertTrue(
        md.startsWith(
            "# dropwise reproduction report\n\nThe main part.\n\n" + SmallDataStudy.BEGIN),
        md);
    assertTrue(md.endsWith(SmallDataStudy.END + "\n"), md);

    // The tuned rate is the one whose saved runs have the best mean final validation accuracy.
    Map<String, Double> tunedRates = new TreeMap<>();
    for (String arm : List.of("fashion-200", "wine")) {
      Map<Double, Double> byRate = new TreeMap<>();
      try (Stream<Path> files = Files.list(runs.resolve(arm))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
          Comparison.Run run = Json.MAPPER.readValue(f.toFile(), Comparison.Run.class);
          if (run.method().startsWith("standard:p=")) {
            byRate.merge(
                Double.parseDouble(run.method().substring("standard:p=".length())),
                SmallDataStudy.finalValidationAccuracy(run) / 2,
                Double::sum);
          }
        }
      }
      double best = byRate.get(0.3) >= byRate.get(0.5) ? 0.3 : 0.5;
      tunedRates.put(arm, best);
      assertTrue(
          md.contains(
              String.format(
                  java.util.Locale.ROOT,
                  "rate 0.3: %.4f, rate 0.5: %.4f; **tuned standard: rate %.1f**",
                  byRate.get(0.3),
                  byRate.get(0.5),
                  best)),
          arm + ":\n" + md);
    }
    // The gap table: beside the difference to p = 0.5, the difference to the tuned rate, here
    // recomputed from the saved runs (mean over seeds of the paired difference, in points).
    double tuned = tunedRates.get("fashion-200");
    String header =
        String.format(
            java.util.Locale.ROOT, "| method | 180 vs p = 0.5 | 180 vs tuned (%.1f) |", tuned);
    assertTrue(md.contains(header + "\n"), md);
    Map<String, Map<Long, Double>> accuracy = new TreeMap<>();
    try (Stream<Path> files = Files.list(runs.resolve("fashion-200"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        Comparison.Run run = Json.MAPPER.readValue(f.toFile(), Comparison.Run.class);
        accuracy
            .computeIfAbsent(run.method(), k -> new TreeMap<>())
            .put(run.seed(), run.testAccuracy());
      }
    }
    Map<Long, Double> none = accuracy.get("none");
    Map<Long, Double> atTuned = accuracy.get(SmallDataPlan.standard(tuned));
    double meanPoints =
        none.keySet().stream().mapToDouble(seed -> 100 * (none.get(seed) - atTuned.get(seed))).sum()
            / none.size();
    String gapRow =
        md.lines()
            .dropWhile(l -> !l.equals(header))
            .filter(l -> l.startsWith("| `none` |"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        String.format(java.util.Locale.ROOT, "%+.2f", meanPoints),
        gapRow.split("\\|")[3].trim().split(" ")[0],
        gapRow);

    // Holm over every comparison: per data set, the three methods against the tuned rate, less the
    // tuned one itself.
    long tests =
        md.lines().filter(l -> l.matches("\\| `[^`]+` \\|.*\\| [0-9.]+ \\| [0-9.]+ \\|")).count();
    assertTrue(md.contains("Holm's correction runs over the " + tests + " tests below."), md);
    assertEquals(
        List.of("none", "sector:n=8,p=0.5"),
        charts.sizePoints.stream().map(SmallDataStudy.SizePoint::method).toList(),
        "one point per method and size");
    assertEquals(List.of("small-data-robustness-200", "small-data-gap"), charts.drawn);

    // Again: every run and every robustness curve is read back, nothing is trained, the section is
    // replaced.
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    SmallDataStudy.write(
        TestSupport.embedded(),
        TINY,
        ReproductionPlan.Budget.SMALL,
        report,
        runs,
        dir.resolve("no-table2"),
        "./dropwise report --section small-data (test)",
        charts,
        (m, s) -> {
          throw new AssertionError("a rerun trains nothing: " + m + " seed " + s);
        },
        new PrintStream(second, true, StandardCharsets.UTF_8),
        false);
    long runsKept =
        Stream.of("fashion-200", "wine")
            .mapToLong(
                arm -> {
                  try (Stream<Path> files = Files.list(runs.resolve(arm))) {
                    return files.filter(f -> f.toString().endsWith(".json")).count();
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            .sum();
    assertEquals(
        2 * 2 * 4,
        runsKept,
        "two data sets, two seeds, four models (three methods and the rate 0.3)");
    assertEquals(
        runsKept,
        second
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("done before: "))
            .count());
    assertEquals(md, Files.readString(report), "the same runs write the same section, once");
    assertEquals(1, Files.readString(report).lines().filter(SmallDataStudy.BEGIN::equals).count());
    // A partial section, from what is kept and training nothing, is the whole section once
    // everything is kept.
    SmallDataStudy.write(
        TestSupport.embedded(),
        TINY,
        ReproductionPlan.Budget.SMALL,
        report,
        runs,
        dir.resolve("no-table2"),
        "./dropwise report --section small-data (test)",
        charts,
        (m, s) -> {
          throw new AssertionError("a partial section trains nothing: " + m + " seed " + s);
        },
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        true);
    assertEquals(md, Files.readString(report));
    assertEquals("", SmallDataStudy.SECTION.existingIn(dir.resolve("absent.md")));
    assertTrue(SmallDataStudy.SECTION.existingIn(report).startsWith(SmallDataStudy.BEGIN));
  }

  @Test
  void aChartFolderOfTheUsersIsRefusedBeforeAnyTraining(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("results.md");
    Files.createDirectories(dir.resolve("results"));
    Files.writeString(dir.resolve("results/mine.txt"), "the user's");
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                SmallDataStudy.write(
                    TestSupport.embedded(),
                    TINY,
                    ReproductionPlan.Budget.SMALL,
                    report,
                    dir.resolve("runs"),
                    dir.resolve("no-table2"),
                    "test",
                    new ReproductionReportTest.RecordingCharts(),
                    (m, s) -> {
                      throw new AssertionError("nothing trains: " + m);
                    },
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    false));
    assertTrue(e.getMessage().startsWith("chart folder " + dir.resolve("results")), e.getMessage());
    assertFalse(Files.exists(report) || Files.exists(dir.resolve("runs")));
    assertEquals("the user's", Files.readString(dir.resolve("results/mine.txt")));
  }

  @Test
  void aBudgetWithTargetedDropoutNeedsThePlugin() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> SmallDataPlan.check(SmallDataPlan.Budget.SMALL));
    assertTrue(
        e.getMessage()
            .contains("DROPWISE_PLUGINS=examples/target/dropwise-examples-0.1.0-SNAPSHOT.jar"),
        e.getMessage());
    SmallDataPlan.check(TINY);
    assertEquals(
        "targeted:gamma=0.5,alpha=0.5",
        SmallDataPlan.METHODS.get(SmallDataPlan.METHODS.size() - 1));
    assertEquals(
        List.of("none", "standard:p=0.5", "sector:n=8,p=0.5", "standard:p=0.3"),
        SmallDataPlan.methods(TINY).stream().collect(Collectors.toList()));
  }

  @Test
  void aTieInTheRateSearchIsSaidWithTheRuleThatBrokeIt() {
    Map<Double, Double> byRate = new java.util.LinkedHashMap<>();
    byRate.put(0.1, 0.9543);
    byRate.put(0.3, 0.9543);
    byRate.put(0.5, 0.9587);
    byRate.put(0.7, 0.9587);
    assertEquals(", tied with rate 0.7 (the lower rate is taken)", SmallDataPage.ties(byRate, 0.5));
    byRate.put(0.7, 0.9586);
    assertEquals("", SmallDataPage.ties(byRate, 0.5));
  }
}
