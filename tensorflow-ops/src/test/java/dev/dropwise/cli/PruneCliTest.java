package dev.dropwise.cli;

import static dev.dropwise.cli.YourOwnDataCliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.cli.YourOwnDataCliTest.Outcome;
import dev.dropwise.export.ServingModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneCliTest {
  @TempDir static Path shared;

  /** A wine model, 13-16-3. */
  static Path model;

  @BeforeAll
  static void exportAWineModel() {
    model = shared.resolve("wine-model");
    Outcome trained =
        run(
            "train",
            "--data",
            "csv:" + BadInputCliTest.WINE,
            "--layers",
            "16",
            "--dropout",
            "standard:p=0.2",
            "--epochs",
            "20",
            "--out",
            shared.resolve("out").toString(),
            "--export",
            model.toString());
    assertEquals(0, trained.code(), trained.err());
  }

  @Test
  void magnitudeKeepsTheUnitsWithTheLargestIncomingWeightsAndCarriesTheirColumns(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("pruned");
    Outcome pruned = prune(out, "--keep", "0.5", "--by", "magnitude-l1");
    assertEquals(0, pruned.code(), pruned.err());
    assertTrue(pruned.out().contains("13-16-3, 275 parameters"), pruned.out());
    assertTrue(pruned.out().contains("13-8-3, 139 parameters"), pruned.out());
    try (ServingModel original = ServingModel.load(model);
        ServingModel smaller = ServingModel.load(out)) {
      float[] kernel = original.variable("dense_0_kernel");
      // The eight units of the largest L1 norm of their 13 incoming weights, computed here.
      double[] l1 = new double[16];
      for (int r = 0; r < 13; r++) {
        for (int u = 0; u < 16; u++) {
          l1[u] += Math.abs(kernel[r * 16 + u]);
        }
      }
      int[] top =
          IntStream.range(0, 16)
              .boxed()
              .sorted(Comparator.comparingDouble(u -> -l1[u]))
              .limit(8)
              .mapToInt(Integer::intValue)
              .sorted()
              .toArray();
      float[] expected = new float[13 * 8];
      for (int r = 0; r < 13; r++) {
        for (int c = 0; c < 8; c++) {
          expected[r * 8 + c] = kernel[r * 16 + top[c]];
        }
      }
      assertArrayEquals(expected, smaller.variable("dense_0_kernel"));
      float[] next = original.variable("dense_1_kernel");
      float[] rows = new float[8 * 3];
      for (int r = 0; r < 8; r++) {
        System.arraycopy(next, top[r] * 3, rows, r * 3, 3);
      }
      assertArrayEquals(rows, smaller.variable("dense_1_kernel"));
      assertEquals(original.classNames(), smaller.classNames());
      assertTrue(smaller.hasMonteCarlo(), "standard dropout keeps its mc_dropout signature");
    }
  }

  @Test
  void benchServingTimesTheModelAndItsPrunedCopyAtEachBatch(@TempDir Path dir) {
    Path out = dir.resolve("pruned");
    assertEquals(0, prune(out, "--keep", "0.5", "--by", "magnitude-l2").code());
    Outcome bench =
        run(
            "bench",
            "--serving",
            model + "," + out,
            "--serving-batches",
            "1,4",
            "--serving-repeats",
            "1");
    assertEquals(0, bench.code(), bench.err());
    java.util.List<String> rows =
        bench.out().lines().filter(l -> l.contains(" 13-")).map(String::trim).toList();
    assertEquals(4, rows.size(), bench.out());
    // Each model at each batch, in order; the first model is the yardstick of its batch.
    assertTrue(rows.get(0).matches(".*13-16-3 +275 .* 1 .* 1\\.00x"), rows.get(0));
    assertTrue(rows.get(1).matches(".*13-16-3 +275 .* 4 .* 1\\.00x"), rows.get(1));
    assertTrue(rows.get(2).matches(".*13-8-3 +139 .* 1 .*x"), rows.get(2));
    assertTrue(rows.get(3).matches(".*13-8-3 +139 .* 4 .*x"), rows.get(3));
  }

  @Test
  void fineTuningTrainsOnFromThePrunedWeightsAsTrainInitFromDoes(@TempDir Path dir)
      throws Exception {
    String[] training = {"--lr", "0.05", "--seed", "3", "--batch-size", "16"};
    Path tuned = dir.resolve("tuned");
    List<String> args = new ArrayList<>(List.of("--keep", "0.5", "--by", "magnitude-l1"));
    args.addAll(List.of(training));
    Outcome o = prune(tuned, concat(args, "--fine-tune-epochs", "3"));
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("[fine-tuning] epoch 3/3"), o.out());
    assertTrue(o.out().contains("fine-tuned 3 epochs a step"), o.out());
    Path untuned = dir.resolve("untuned");
    assertEquals(0, prune(untuned, "--keep", "0.5", "--by", "magnitude-l1").code());
    Path trained = dir.resolve("trained");
    List<String> train =
        new ArrayList<>(
            List.of(
                "train",
                "--init-from",
                untuned.toString(),
                "--data",
                "csv:" + BadInputCliTest.WINE,
                "--epochs",
                "3",
                "--out",
                dir.resolve("run").toString(),
                "--export",
                trained.toString()));
    train.addAll(List.of(training));
    Outcome t = run(train.toArray(String[]::new));
    assertEquals(0, t.code(), t.err());
    try (ServingModel a = ServingModel.load(tuned);
        ServingModel b = ServingModel.load(trained);
        ServingModel before = ServingModel.load(untuned)) {
      for (String variable : List.of("dense_0_kernel", "dense_0_bias", "dense_1_kernel")) {
        assertArrayEquals(b.variable(variable), a.variable(variable), variable);
        assertTrue(
            !Arrays.equals(before.variable(variable), a.variable(variable)),
            variable + " was trained");
      }
    }
  }

  @Test
  void stepsPruneAShareOfWhatIsLeftEachTimeUntilTheShareAsked(@TempDir Path dir) throws Exception {
    Path once = dir.resolve("once");
    Path twice = dir.resolve("twice");
    assertEquals(0, prune(once, "--keep", "0.25", "--by", "magnitude-l1").code());
    Outcome o = prune(twice, "--keep", "0.25", "--by", "magnitude-l1", "--steps", "2");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("13-4-3, 71 parameters"), o.out());
    assertTrue(o.out().contains("2 steps"), o.out());
    // A unit's incoming weights do not change when units beside it go: by magnitude, without
    // fine-tuning, the 4 of 16 kept in one step are the 4 of the 8 kept in the first of two.
    try (ServingModel a = ServingModel.load(once);
        ServingModel b = ServingModel.load(twice)) {
      assertArrayEquals(a.variable("dense_0_kernel"), b.variable("dense_0_kernel"));
      assertArrayEquals(a.variable("dense_1_kernel"), b.variable("dense_1_kernel"));
    }
  }

  @Test
  void theSweepPrunesToEachShareByEachRankingWithAndWithoutFineTuning(@TempDir Path dir)
      throws Exception {
    Path sweep = dir.resolve("sweep");
    Outcome o =
        prune(
            sweep, "--sweep", "0.5,0.25", "--by", "magnitude-l1;random", "--fine-tune-epochs", "1");
    assertEquals(0, o.code(), o.err());
    List<org.apache.commons.csv.CSVRecord> rows;
    try (var reader = java.nio.file.Files.newBufferedReader(sweep.resolve("sweep.csv"));
        var parser =
            org.apache.commons.csv.CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .build()
                .parse(reader)) {
      rows = parser.getRecords();
    }
    // The original, then 2 rankings x 2 shares x (untuned, fine-tuned).
    assertEquals(9, rows.size());
    assertEquals("none", rows.get(0).get("ranking"));
    assertEquals("13-16-3", rows.get(0).get("network"));
    for (int i = 1; i < 9; i++) {
      org.apache.commons.csv.CSVRecord r = rows.get(i);
      double share = Double.parseDouble(r.get("keep"));
      assertEquals(share == 0.5 ? "13-8-3" : "13-4-3", r.get("network"), r.toString());
      assertEquals(String.valueOf((i - 1) % 2), r.get("fine_tune_epochs"), r.toString());
      try (ServingModel m = ServingModel.load(Path.of(r.get("model")))) {
        assertEquals(r.get("network"), m.network().widths());
      }
    }
    // Untuned, the sweep's model is the one prune --keep makes: the same test accuracy.
    Path once = dir.resolve("once");
    Outcome single = prune(once, "--keep", "0.5", "--by", "magnitude-l1");
    double accuracy = Double.parseDouble(rows.get(1).get("test_accuracy"));
    assertTrue(
        single.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.4f (", accuracy)),
        single.out() + " vs " + accuracy);
    assertTrue(
        o.out().lines().anyMatch(l -> l.matches(" *magnitude-l1 +0\\.5 +1 epoch +13-8-3 .*")),
        o.out());
  }

  @Test
  void anImportanceGuidedModelKeepsItsMonteCarloPassesWithTheFrozenRatesOfTheUnitsThatStay(
      @TempDir Path dir) throws Exception {
    Path ydrop = dir.resolve("ydrop");
    Outcome trained =
        run(
            "train",
            "--data",
            "csv:" + BadInputCliTest.WINE,
            "--layers",
            "16",
            "--dropout",
            "ydrop",
            "--epochs",
            "5",
            "--out",
            dir.resolve("run").toString(),
            "--export",
            ydrop.toString());
    assertEquals(0, trained.code(), trained.err());
    Path pruned = dir.resolve("pruned");
    Outcome o =
        run(
            "prune",
            "--model",
            ydrop.toString(),
            "--data",
            "csv:" + BadInputCliTest.WINE,
            "--keep",
            "0.5",
            "--by",
            "magnitude-l1",
            "--out",
            pruned.toString());
    assertEquals(0, o.code(), o.err());
    Path tuned = dir.resolve("tuned");
    Outcome t =
        run(
            "prune",
            "--model",
            ydrop.toString(),
            "--data",
            "csv:" + BadInputCliTest.WINE,
            "--keep",
            "0.5",
            "--by",
            "magnitude-l1",
            "--fine-tune-epochs",
            "2",
            "--out",
            tuned.toString());
    assertEquals(0, t.code(), t.err());
    try (ServingModel original = ServingModel.load(ydrop);
        ServingModel smaller = ServingModel.load(pruned);
        ServingModel retrained = ServingModel.load(tuned)) {
      dev.dropwise.dropout.FrozenDropout before =
          (dev.dropwise.dropout.FrozenDropout) original.monteCarloLayers().get(1);
      dev.dropwise.dropout.FrozenDropout after =
          (dev.dropwise.dropout.FrozenDropout) smaller.monteCarloLayers().get(1);
      assertEquals(16, before.rates().length);
      // The units magnitude keeps, found here from the first kernel's columns, keep their rates.
      float[] kernel = original.variable("dense_0_kernel");
      float[] keptKernel = smaller.variable("dense_0_kernel");
      float[] rates = new float[8];
      float[] scales = new float[8];
      for (int c = 0; c < 8; c++) {
        for (int u = 0; u < 16; u++) {
          if (kernel[u] == keptKernel[c] && kernel[16 + u] == keptKernel[8 + c]) {
            rates[c] = before.rates()[u];
            scales[c] = before.scales()[u];
          }
        }
      }
      assertArrayEquals(rates, after.rates());
      assertArrayEquals(scales, after.scales());
      assertTrue(smaller.hasMonteCarlo(), "the pruned Y-Drop model samples its frozen rates");
      var mc = smaller.predictMonteCarlo(new float[13 * 4], 4, 5);
      assertEquals(4 * 3, mc.mean().length);
      // Fine-tuned, the rates are those the fine-tuning left, measured anew for 8 units.
      assertTrue(retrained.hasMonteCarlo());
      assertEquals(
          8,
          ((dev.dropwise.dropout.FrozenDropout) retrained.monteCarloLayers().get(1))
              .rates()
              .length);
    }
  }

  private static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  /** {@code prune} of the wine model into {@code out}, with {@code more}. */
  private static Outcome prune(Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "prune",
                "--model",
                model.toString(),
                "--data",
                "csv:" + BadInputCliTest.WINE,
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void theRandomRankingFollowsItsSeed(@TempDir Path dir) throws Exception {
    float[][] kernels = new float[3][];
    long[] seeds = {5, 5, 6};
    for (int i = 0; i < 3; i++) {
      Path out = dir.resolve("p" + i);
      Outcome o =
          prune(out, "--keep", "0.25", "--by", "random", "--seed", String.valueOf(seeds[i]));
      assertEquals(0, o.code(), o.err());
      try (ServingModel m = ServingModel.load(out)) {
        kernels[i] = m.variable("dense_0_kernel");
      }
    }
    assertEquals(13 * 4, kernels[0].length);
    assertArrayEquals(kernels[0], kernels[1]);
    assertTrue(!Arrays.equals(kernels[0], kernels[2]), "another seed, other units");
  }
}
