package dev.dropwise.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.importance.ImportanceSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class PfidDropoutTest {
  static final float[] IMPORTANCE = {0.2f, 1.0f, 0.6f, 0.2f, 0.4f};

  static PfidDropout pfid(PfidDropout.Form form, float meanRate) {
    return new PfidDropout(
        0.5f, ImportanceSpec.parse("gradient"), form, 0.4f, 2f, 0.5f, 2f, false, meanRate, 1f, 8);
  }

  static float[] rates(PfidDropout pfid, float[] importance, float progress) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = pfid.rates(tf, tf.constant(importance), tf.constant(progress));
      try (Session s = new Session(g);
          Result r = s.runner().fetch(out).run()) {
        float[] v = new float[importance.length];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(v, false, false));
        return v;
      }
    }
  }

  static double norm(int i) {
    return (IMPORTANCE[i] - 0.2) / (1.0 - 0.2);
  }

  @Test
  void linearFormIsOneMinusAlphaTimesMinMaxNormalisedImportance() {
    float[] p = rates(pfid(PfidDropout.Form.LINEAR, 0), IMPORTANCE, 0f);
    for (int i = 0; i < IMPORTANCE.length; i++) {
      assertEquals(1 - 0.5 * norm(i), p[i], 1e-6, "unit " + i);
    }
    assertEquals(1f, p[0], 0f, "the least important unit gets p = 1");
  }

  @Test
  void equationThirteenWithLambdaFromEquationFourteen() {
    float progress = 0.6f;
    double lambda = 2 * (1 + 0.5 * Math.pow(progress, 2)); // λ_init (1 + κ (e/E)^θ)
    float[] p = rates(pfid(PfidDropout.Form.EQ13, 0), IMPORTANCE, progress);
    for (int i = 0; i < IMPORTANCE.length; i++) {
      assertEquals(0.4 * (1 - Math.exp(-lambda * norm(i))), p[i], 1e-6, "unit " + i);
    }
  }

  @Test
  void equationSixteenCompoundsOneLayerRateFromTheUnitsImportanceShares() {
    float progress = 0.6f;
    double lambda = 2 * (1 + 0.5 * Math.pow(progress, 2));
    // lambda = 2.36 here: factors 1 - lambda * share, clipped at 0.
    double total = 0;
    for (float v : IMPORTANCE) {
      total += v;
    }
    double product = 1;
    for (float v : IMPORTANCE) {
      product *= Math.max(0, 1 - lambda * v / total);
    }
    float[] p = rates(pfid(PfidDropout.Form.COMPOUNDED, 0), IMPORTANCE, progress);
    for (float v : p) {
      assertEquals(0.4 * product, v, 1e-6, "one rate r0 * prod(1 - lambda s_i) for the layer");
    }
    // Spread importance over many units: the product approaches exp(-lambda) (lambda_init 2 at
    // progress 0).
    float[] flat = new float[1000];
    Arrays.fill(flat, 0.3f);
    assertEquals(
        0.4 * Math.pow(1 - 2.0 / 1000, 1000),
        rates(pfid(PfidDropout.Form.COMPOUNDED, 0), flat, 0f)[0],
        1e-5);
    assertEquals(
        0.4 * Math.exp(-2), rates(pfid(PfidDropout.Form.COMPOUNDED, 0), flat, 0f)[0], 1e-3);
  }

  @Test
  void calibrationRescalesToTheRequestedMeanRate() {
    float[] p = rates(pfid(PfidDropout.Form.LINEAR, 0.3f), IMPORTANCE, 0f);
    double raw = 0;
    for (int i = 0; i < IMPORTANCE.length; i++) {
      raw += (1 - 0.5 * norm(i)) / IMPORTANCE.length;
    }
    double mean = 0;
    for (int i = 0; i < IMPORTANCE.length; i++) {
      assertEquals((1 - 0.5 * norm(i)) * 0.3 / raw, p[i], 1e-6);
      mean += p[i] / IMPORTANCE.length;
    }
    assertEquals(0.3, mean, 1e-6);
  }

  @Test
  void equalImportanceNormalisesToTheMiddle() {
    float[] p = rates(pfid(PfidDropout.Form.LINEAR, 0), new float[] {0.7f, 0.7f, 0.7f}, 0f);
    for (float v : p) {
      assertEquals(0.75f, v, 1e-7f);
    }
  }
}
