package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.analysis.Explainer;
import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.LrpGuidedDropout;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.testing.TestSupport;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What "importance after the update" means, checked from outside: the scores a step drops by are
 * the batch mean of |LRP-ε| on the previous step's batch with the weights that step left, computed
 * here independently ({@link Explainer}, a graph of its own) and applied to a forward pass written
 * out in Java.
 */
class StoredImportanceTest {
  private static final int WIDTH_1 = 32;
  private static final int WIDTH_2 = 16;
  private static final int BATCH = 16;

  @Test
  void aStepDropsByTheImportanceOfThePreviousBatchUnderTheUpdatedWeights() {
    // lrp-official: the top half of each layer by batch-mean |LRP-eps| over the whole batch, kept
    // units scaled by 2 — a mask that shows which scores it came from.
    LrpGuidedDropout method = (LrpGuidedDropout) DropoutSpec.parse("lrp-official:p=0.5");
    ModelSpec spec =
        ModelSpec.mlp(
            784, List.of(WIDTH_1, WIDTH_2), Activation.RELU, Initializer.HE_UNIFORM, method, 10);
    Dataset data = TestSupport.embedded().train().head(2 * BATCH);
    Dataset first = data.head(BATCH);
    int[] order = IntStream.range(0, data.size()).toArray();
    try (ModelSession session =
        new ModelSession(spec, new OptimizerSpec.Momentum(0.1f, 0.9f), RunSeeds.from(3))) {
      session.step(data, order, 0, BATCH, 0, 0, 0f);
      Map<String, float[]> updated = session.variableValues();
      List<float[]> relevance = Explainer.explain(spec, updated::get, method.importance(), first);
      float[] keep1 = keepOfTopHalf(relevance.get(0), WIDTH_1);
      float[] keep2 = keepOfTopHalf(relevance.get(1), WIDTH_2);
      // The next step's masks, as the training switch is on; no update runs here.
      float[] logits = session.logits(data, 4, true, 1);
      for (int row = 0; row < 4; row++) {
        float[] x = Arrays.copyOfRange(data.features(), row * 784, (row + 1) * 784);
        float[] h1 =
            dense(
                x,
                updated.get("dense_0_kernel"),
                updated.get("dense_0_bias"),
                WIDTH_1,
                true,
                keep1);
        float[] h2 =
            dense(
                h1,
                updated.get("dense_1_kernel"),
                updated.get("dense_1_bias"),
                WIDTH_2,
                true,
                keep2);
        float[] expected =
            dense(h2, updated.get("dense_2_kernel"), updated.get("dense_2_bias"), 10, false, null);
        for (int c = 0; c < 10; c++) {
          assertEquals(
              expected[c],
              logits[row * 10 + c],
              1e-4f * Math.max(1f, Math.abs(expected[c])),
              "row " + row + ", class " + c);
        }
      }
    }
  }

  /** Dropout's multiplier for the top half by mean |score| over the rows: 0 there, 2 elsewhere. */
  private static float[] keepOfTopHalf(float[] scores, int units) {
    int rows = scores.length / units;
    double[] mean = new double[units];
    for (int r = 0; r < rows; r++) {
      for (int u = 0; u < units; u++) {
        mean[u] += Math.abs(scores[r * units + u]) / rows;
      }
    }
    Integer[] byScore = IntStream.range(0, units).boxed().toArray(Integer[]::new);
    Arrays.sort(byScore, Comparator.comparingDouble((Integer u) -> -mean[u]));
    float[] keep = new float[units];
    Arrays.fill(keep, 2f);
    for (int i = 0; i < units / 2; i++) {
      keep[byScore[i]] = 0f;
    }
    return keep;
  }

  /** {@code x W + b}, then ReLU and the dropout multiplier where asked. */
  private static float[] dense(
      float[] x, float[] kernel, float[] bias, int units, boolean relu, float[] keep) {
    float[] out = new float[units];
    for (int u = 0; u < units; u++) {
      double z = bias[u];
      for (int i = 0; i < x.length; i++) {
        z += (double) x[i] * kernel[i * units + u];
      }
      float a = relu ? (float) Math.max(0, z) : (float) z;
      out[u] = keep == null ? a : a * keep[u];
    }
    return out;
  }
}
