package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.FrozenDropout;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importance-guided dropout sampled {@code live} in an export's Monte Carlo passes. */
class LiveSamplingTest {
  @TempDir Path dir;

  static final int UNITS = 16;

  static final MonteCarlo.Draw LIVE =
      new MonteCarlo.Draw(MonteCarlo.Masks.INDEPENDENT, MonteCarlo.Sampling.LIVE);

  private Path exported(String method) throws Exception {
    Path export = dir.resolve(method.replaceAll("[^a-z0-9]", "_"));
    Dataset.Split data = TrainerTest.split(600, 1);
    try (TrainingRun run =
        Trainer.train(
            TrainerTest.mlp(method, UNITS),
            data.train(),
            data.validation(),
            TrainConfig.defaults().withEpochs(1),
            ProgressListener.NONE)) {
      SavedModelExport.export(
          run.model(),
          export,
          Preprocessing.NONE,
          ClassificationData.indexNames(10),
          1,
          List.of(),
          run.monteCarloLayers().forExport());
    }
    return export;
  }

  /**
   * LRP-guided dropout of the top k units of each example by |LRP-ε| is deterministic: live, every
   * pass drops the same k = round(0.25·16) = 4 units of an example, the 4 with the largest |a_j
   * w_jc| (LRP-ε's relevance of hidden unit j for the predicted class c, up to a factor common to
   * the layer), and scales the rest by their frozen scales; here recomputed in float64 from the
   * export's own weights. Frozen, the passes differ.
   */
  @Test
  void liveTopKDropsEachExamplesOwnMostRelevantUnits() throws Exception {
    Path export = exported("lrp:select=top,mode=example,timing=current,p=0.25");
    Dataset test = dev.dropwise.testing.TestSupport.embedded().test().head(40);
    try (ServingModel serving = ServingModel.load(export)) {
      assertTrue(serving.samplesLive());
      float[] w0 = serving.variable("dense_0_kernel");
      float[] b0 = serving.variable("dense_0_bias");
      float[] w1 = serving.variable("dense_1_kernel");
      float[] b1 = serving.variable("dense_1_bias");
      float[] scales = ((FrozenDropout) serving.monteCarloLayers().get(1)).scales();
      MonteCarlo live =
          serving.predictMonteCarlo(test.features(), test.size(), 12, LIVE, done -> {});
      float[] variation = live.mutualInformation();
      int checked = 0;
      for (int i = 0; i < test.size(); i++) {
        assertEquals(0, variation[i], 1e-6, "every live pass drops the same units");
        double[] a = new double[UNITS];
        for (int j = 0; j < UNITS; j++) {
          a[j] = b0[j];
          for (int f = 0; f < 784; f++) {
            a[j] += test.features()[i * 784 + f] * (double) w0[f * UNITS + j];
          }
          a[j] = Math.max(0, a[j]);
        }
        double[] z = new double[10];
        int c = 0;
        for (int k = 0; k < 10; k++) {
          z[k] = b1[k];
          for (int j = 0; j < UNITS; j++) {
            z[k] += a[j] * w1[j * 10 + k];
          }
          c = z[k] > z[c] ? k : c;
        }
        int cls = c;
        Integer[] order = new Integer[UNITS];
        Arrays.setAll(order, j -> j);
        Arrays.sort(
            order,
            (p, q) ->
                Double.compare(
                    Math.abs(a[q] * w1[q * 10 + cls]), Math.abs(a[p] * w1[p * 10 + cls])));
        double fourth = Math.abs(a[order[3]] * w1[order[3] * 10 + cls]);
        double fifth = Math.abs(a[order[4]] * w1[order[4] * 10 + cls]);
        if (fourth - fifth < 1e-4 * fourth) {
          continue; // too close to call in float32
        }
        checked++;
        boolean[] dropped = new boolean[UNITS];
        for (int r = 0; r < 4; r++) {
          dropped[order[r]] = true;
        }
        double[] logits = new double[10];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 10; k++) {
          logits[k] = b1[k];
          for (int j = 0; j < UNITS; j++) {
            logits[k] += dropped[j] ? 0 : a[j] * scales[j] * w1[j * 10 + k];
          }
          max = Math.max(max, logits[k]);
        }
        double sum = 0;
        for (double l : logits) {
          sum += Math.exp(l - max);
        }
        for (int k = 0; k < 10; k++) {
          assertEquals(
              Math.exp(logits[k] - max) / sum, live.mean()[i * 10 + k], 1e-4, "example " + i);
        }
      }
      assertTrue(checked >= 30, checked + " of 40 examples checked");
      MonteCarlo frozen = serving.predictMonteCarlo(test.features(), test.size(), 12, d -> {});
      assertTrue(
          Arrays.stream(toDoubles(frozen.mutualInformation())).average().orElseThrow() > 1e-3,
          "frozen: each unit dropped at its rate, the passes differ");
    }
  }

  /**
   * Y-Drop live ranks by the conductance of the inputs given; a measure that targets the label
   * cannot run without labels, so such a model has no live passes and says what it needs.
   */
  @Test
  void yDropSamplesLiveAndALabelTargetDoesNot() throws Exception {
    Dataset test = dev.dropwise.testing.TestSupport.embedded().test().head(20);
    try (ServingModel serving = ServingModel.load(exported("ydrop"))) {
      assertTrue(serving.samplesLive());
      MonteCarlo live = serving.predictMonteCarlo(test.features(), 20, 10, LIVE, d -> {});
      MonteCarlo frozen = serving.predictMonteCarlo(test.features(), 20, 10, d -> {});
      assertFalse(Arrays.equals(live.mean(), frozen.mean()), "live masks are not the frozen ones");
      assertTrue(
          Arrays.stream(toDoubles(live.mutualInformation())).average().orElseThrow() > 1e-4,
          "Y-Drop's buckets are drawn anew each pass");
    }
    Path labelTarget = exported("lrp:target=label");
    java.io.StringWriter err = new java.io.StringWriter();
    Path out = dir.resolve("p.csv");
    int code =
        dev.dropwise.cli.Dropwise.run(
            new java.io.PrintWriter(err, true),
            "predict",
            "--data",
            "embedded",
            "--model",
            labelTarget.toString(),
            "--mc",
            "5",
            "--mc-sampling",
            "live",
            "--out",
            out.toString());
    assertEquals(2, code, err.toString());
    assertTrue(
        err.toString().contains("--mc-sampling live: this model has no live Monte Carlo passes"),
        err.toString());
    assertFalse(java.nio.file.Files.exists(out), "nothing written");
    try (ServingModel serving = ServingModel.load(labelTarget)) {
      assertTrue(serving.hasMonteCarlo(), "frozen passes still");
      assertFalse(serving.samplesLive());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> serving.predictMonteCarlo(test.features(), 20, 10, LIVE, d -> {}));
      assertTrue(
          e.getMessage().startsWith("sampling live: this model has no live"), e.getMessage());
    }
  }

  private static double[] toDoubles(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
