package dev.dropwise.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.cli.Dropwise;
import dev.dropwise.data.Dataset;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.TrainingRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonteCarloTest {
  @TempDir Path dir;

  @Test
  void mcDropoutVariesAcrossSamplesWhileServingDefaultDoesNot() throws Exception {
    Path model = dir.resolve("model");
    try (TrainingRun run = SavedModelRoundTripTest.trained("standard:p=0.5")) {
      SavedModelExport.export(run.model(), model);
    }
    Dataset test = TestSupport.embedded().test().head(40);
    try (ServingModel serving = ServingModel.load(model)) {
      assertTrue(serving.hasMonteCarlo());
      float[] first = serving.predict(test.features(), 40).probabilities();
      assertArrayEquals(
          first,
          serving.predict(test.features(), 40).probabilities(),
          "serving_default is deterministic");
      MonteCarlo mc = serving.predictMonteCarlo(test.features(), 40, 20);
      long varying = 0;
      for (float s : mc.std()) {
        varying += s > 1e-4 ? 1 : 0;
      }
      assertTrue(
          varying > mc.std().length / 2,
          "dropout on: most probabilities vary across samples (" + varying + ")");
      assertArrayEquals(
          mc.mean(),
          serving.predictMonteCarlo(test.features(), 40, 20).mean(),
          "seeded 0..19: reproducible");
      for (int i = 0; i < 40; i++) {
        double total = 0;
        for (int c = 0; c < 10; c++) {
          total += mc.mean()[i * 10 + c];
        }
        assertEquals(1.0, total, 1e-4, "the mean of distributions is a distribution");
      }
      assertFalse(Arrays.equals(first, mc.mean()));
    }
  }

  /**
   * Gaussian dropout exports like the other seed-only methods: serving_default is the noise-free
   * network, mc_dropout samples multiplicative noise, whose mean of distributions is a
   * distribution.
   */
  @Test
  void gaussianDropoutTrainsExportsAndSamples() throws Exception {
    Path model = dir.resolve("gaussian");
    try (TrainingRun run = SavedModelRoundTripTest.trained("gaussian:p=0.3")) {
      SavedModelExport.export(run.model(), model);
    }
    Dataset test = TestSupport.embedded().test().head(40);
    try (ServingModel serving = ServingModel.load(model)) {
      assertTrue(serving.hasMonteCarlo());
      MonteCarlo mc = serving.predictMonteCarlo(test.features(), 40, 20);
      long varying = 0;
      for (float s : mc.std()) {
        varying += s > 1e-4 ? 1 : 0;
      }
      assertTrue(varying > mc.std().length / 2, "noise on: probabilities vary (" + varying + ")");
      float[] plain = serving.predict(test.features(), 40).probabilities();
      for (int i = 0; i < 40; i++) {
        double total = 0;
        for (int c = 0; c < 10; c++) {
          total += mc.mean()[i * 10 + c];
        }
        assertEquals(1.0, total, 1e-4);
      }
      assertFalse(Arrays.equals(plain, mc.mean()), "the samples are not the noise-free network");
    }
  }

  /**
   * Monte Carlo dropout keeps BatchNorm in inference mode (keras#9412): its moving statistics,
   * never the batch's, and never updated; so 100 passes leave serving_default's output bit for bit
   * as it was, and at a small rate the passes' mean stays near it.
   */
  @Test
  void batchNormStaysInInferenceModeUnderMonteCarlo() throws Exception {
    Path model = dir.resolve("bn");
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        Dropwise.run(
            new PrintWriter(err, true),
            "train",
            "--data",
            "embedded",
            "--limit",
            "800",
            "--epochs",
            "2",
            "--layers",
            "64,bn,32,bn",
            "--dropout",
            "standard:p=0.05",
            "--export",
            model.toString(),
            "--out",
            dir.resolve("bn-run").toString()),
        err.toString());
    Dataset test = TestSupport.embedded().test().head(50);
    try (ServingModel serving = ServingModel.load(model)) {
      assertTrue(serving.hasMonteCarlo());
      float[] before = serving.predict(test.features(), 50).probabilities();
      // A batch of one example: batch statistics would make every activation 0 there.
      float[] one = Arrays.copyOf(test.features(), 784);
      MonteCarlo single = serving.predictMonteCarlo(one, 1, 100);
      float[] plainOne = serving.predict(one, 1).probabilities();
      double gap = 0;
      for (int c = 0; c < 10; c++) {
        gap = Math.max(gap, Math.abs(single.mean()[c] - plainOne[c]));
      }
      assertTrue(gap < 0.05, "p = 0.05: the mean of 100 passes stays near the output: " + gap);
      assertArrayEquals(
          before,
          serving.predict(test.features(), 50).probabilities(),
          "100 passes left the moving statistics as they were");
    }
  }

  /**
   * The batched signature's passes are mc_dropout's, seed for seed: 23 passes (two full runs of 10
   * and 3 of a third) give bit for bit what 23 single-pass calls give, for a plain and a
   * sector-wise model.
   */
  @Test
  void batchedPassesAreThePassByPassOnesBitForBit() throws Exception {
    for (String method : new String[] {"standard:p=0.5", "sector:n=8,p=0.5"}) {
      Path model = dir.resolve(method.replace(':', '-').replace(',', '-'));
      try (TrainingRun run = SavedModelRoundTripTest.trained(method)) {
        SavedModelExport.export(run.model(), model);
      }
      Dataset test = TestSupport.embedded().test().head(40);
      try (ServingModel serving = ServingModel.load(model)) {
        MonteCarlo batched = serving.predictMonteCarlo(test.features(), 40, 23);
        MonteCarlo single = serving.predictMonteCarloPassByPass(test.features(), 40, 23);
        assertEquals(23, batched.samples());
        assertArrayEquals(single.mean(), batched.mean(), method);
        assertArrayEquals(single.std(), batched.std(), method);
        assertArrayEquals(single.entropy(), batched.entropy(), method);
        assertArrayEquals(single.mutualInformation(), batched.mutualInformation(), method);
        assertArrayEquals(single.variationRatio(), batched.variationRatio(), method);
      }
    }
  }

  /**
   * Shared masks in one run per ten passes (mc_dropout_shared_passes) are each example's masks when
   * it is predicted alone through mc_dropout with the pass's seed: the probabilities agree to the
   * rounding of a matrix product over 12 rows instead of 1 (oneDNN blocks them differently), 1e-6.
   */
  @Test
  void sharedMasksInOneRunAreEachExampleAlone() throws Exception {
    Dataset test = TestSupport.embedded().test().head(12);
    for (String method : new String[] {"standard:p=0.5", "sector:n=8,p=0.5", "gaussian:p=0.3"}) {
      Path model = dir.resolve("shared-" + method.replace(':', '-').replace(',', '-'));
      try (TrainingRun run = SavedModelRoundTripTest.trained(method)) {
        SavedModelExport.export(run.model(), model);
      }
      try (ServingModel serving = ServingModel.load(model)) {
        assertTrue(serving.sharesMasksInOneRun(), method);
        MonteCarlo shared =
            serving.predictMonteCarlo(test.features(), 12, 23, MonteCarlo.Masks.SHARED, d -> {});
        MonteCarlo alone = serving.predictMonteCarloExampleByExample(test.features(), 12, 23);
        assertEquals(23, shared.samples());
        assertArrayEquals(alone.mean(), shared.mean(), 1e-6f, method);
        assertArrayEquals(alone.std(), shared.std(), 1e-6f, method);
        assertArrayEquals(alone.mutualInformation(), shared.mutualInformation(), 1e-6f, method);
      }
    }
  }

  /** A model whose dropout does not only multiply units by a mask keeps one call per example. */
  @Test
  void alphaDropoutSharesMasksExampleByExample() throws Exception {
    Path model = dir.resolve("alpha");
    try (TrainingRun run = SavedModelRoundTripTest.trained("alpha:p=0.1")) {
      SavedModelExport.export(run.model(), model);
    }
    Dataset test = TestSupport.embedded().test().head(6);
    try (ServingModel serving = ServingModel.load(model)) {
      assertTrue(serving.hasMonteCarlo());
      assertFalse(serving.sharesMasksInOneRun(), "Alpha dropout is affine, not a mask alone");
      assertArrayEquals(
          serving.predictMonteCarloExampleByExample(test.features(), 6, 12).mean(),
          serving
              .predictMonteCarlo(test.features(), 6, 12, MonteCarlo.Masks.SHARED, d -> {})
              .mean());
    }
  }

  @Test
  void importanceGuidedModelsExportWithoutMcDropoutAndPredictSaysWhy() throws Exception {
    Path model = dir.resolve("ydrop");
    try (TrainingRun run = SavedModelRoundTripTest.trained("ydrop")) {
      SavedModelExport.export(run.model(), model);
    }
    try (ServingModel serving = ServingModel.load(model)) {
      assertFalse(serving.hasMonteCarlo());
      assertThrows(
          IllegalArgumentException.class, () -> serving.predictMonteCarlo(new float[784], 1, 5));
    }
    StringWriter err = new StringWriter();
    int code =
        Dropwise.run(
            new PrintWriter(err, true),
            "predict",
            "--data",
            "embedded",
            "--model",
            model.toString(),
            "--mc",
            "10",
            "--out",
            dir.resolve("p.csv").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("has no mc_dropout signature"), err.toString());
  }

  @Test
  void predictWritesMeansAndStandardDeviations() throws Exception {
    Path model = dir.resolve("model");
    try (TrainingRun run = SavedModelRoundTripTest.trained("sector:n=8,p=0.5")) {
      SavedModelExport.export(run.model(), model);
    }
    StringWriter err = new StringWriter();
    Path out = dir.resolve("mc.csv");
    assertEquals(
        0,
        Dropwise.run(
            new PrintWriter(err, true),
            "predict",
            "--data",
            "embedded",
            "--model",
            model.toString(),
            "--mc",
            "8",
            "--limit",
            "25",
            "--out",
            out.toString()),
        err.toString());
    var lines = Files.readAllLines(out);
    assertEquals(26, lines.size());
    String[] header = lines.get(0).split(",");
    assertEquals(3 + 10 + 10 + 4, header.length, "example, label, predicted, 10 means, 10 stds");
    assertEquals(
        "entropy,expected_entropy,mutual_information,variation_ratio",
        String.join(",", Arrays.copyOfRange(header, 23, 27)));
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",");
      double entropy = Double.parseDouble(v[23]);
      double expected = Double.parseDouble(v[24]);
      double mutual = Double.parseDouble(v[25]);
      double ratio = Double.parseDouble(v[26]);
      assertEquals(Math.max(0, entropy - expected), mutual, 1e-6, line);
      assertTrue(mutual >= 0 && entropy <= Math.log(10) + 1e-6, line);
      // 8 passes: the modal class wins at least 1 of them and at most all 8.
      assertTrue(ratio >= 0 && ratio <= 7.0 / 8 + 1e-6, line);
    }
  }

  /**
   * Shared masks: every example of a pass gets the masks of the pass's seed, so an image twice in a
   * batch gets the same passes, and each example's passes are those it gets alone; independent
   * masks differ between the two copies.
   */
  @Test
  void sharedMasksGiveEveryExampleThePassesItGetsAlone() throws Exception {
    Path model = dir.resolve("shared");
    try (TrainingRun run = SavedModelRoundTripTest.trained("standard:p=0.5")) {
      SavedModelExport.export(run.model(), model);
    }
    Dataset test = TestSupport.embedded().test().head(3);
    // Examples 0, 1, 2, then 0 again.
    Dataset batch = test.concat(test.head(1));
    int n = batch.size();
    try (ServingModel serving = ServingModel.load(model)) {
      MonteCarlo shared =
          serving.predictMonteCarlo(batch.features(), n, 13, MonteCarlo.Masks.SHARED, k -> {});
      MonteCarlo independent = serving.predictMonteCarlo(batch.features(), n, 13);
      for (int i = 0; i < n; i++) {
        float[] alone =
            serving
                .predictMonteCarlo(
                    Arrays.copyOfRange(batch.features(), i * 784, (i + 1) * 784), 1, 13)
                .mean();
        // The same masks; the product over 4 rows rounds apart from the one over 1 row.
        assertArrayEquals(
            alone, Arrays.copyOfRange(shared.mean(), i * 10, (i + 1) * 10), 1e-6f, "example " + i);
      }
      assertArrayEquals(
          Arrays.copyOfRange(shared.std(), 0, 10),
          Arrays.copyOfRange(shared.std(), 30, 40),
          "the same image, the same passes");
      assertFalse(
          Arrays.equals(
              Arrays.copyOfRange(independent.mean(), 0, 10),
              Arrays.copyOfRange(independent.mean(), 30, 40)),
          "independent masks: the two copies get different passes");
    }
    assertEquals(MonteCarlo.Masks.SHARED, MonteCarlo.Masks.parse("shared", "mcMasks"));
    assertEquals(
        "mcMasks all: must be independent or shared",
        assertThrows(IllegalArgumentException.class, () -> MonteCarlo.Masks.parse("all", "mcMasks"))
            .getMessage());
  }
}
