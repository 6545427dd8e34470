package dev.dropwise.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.ops.DropoutOps;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class AlphaDropoutTest {
  static final int ROWS = 2000;
  static final int UNITS = 50;

  /** SELU of standard normal pre-activations: mean 0, variance 1 (the fixed point). */
  static float[][] seluActivations(long seed) {
    Random r = new Random(seed);
    float[][] a = new float[ROWS][UNITS];
    for (float[] row : a) {
      for (int i = 0; i < UNITS; i++) {
        double z = r.nextGaussian();
        row[i] =
            (float) (1.0507009873554805 * (z > 0 ? z : 1.6732632423543772 * (Math.exp(z) - 1)));
      }
    }
    return a;
  }

  static float[] run(AlphaDropout alpha, float[][] input, boolean training) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.constant(input);
      DropoutContext ctx =
          DropoutContext.standalone(
              tf, tf.constant(training), DropoutOps.create(tf).seed(3, 0, tf.constant(5L)));
      Operand<TFloat32> out = alpha.apply(ctx, x).output();
      try (Session s = new Session(g);
          Result r = s.runner().fetch(out).run()) {
        float[] v = new float[ROWS * UNITS];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(v, false, false));
        return v;
      }
    }
  }

  static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  static double variance(float[] v) {
    double m = mean(v);
    double s = 0;
    for (float x : v) {
      s += (x - m) * (x - m);
    }
    return s / (v.length - 1);
  }

  @ParameterizedTest(name = "p={0}")
  @ValueSource(doubles = {0.05, 0.1, 0.2})
  void keepsTheMeanAndVarianceOfSeluActivations(double p) {
    float[][] a = seluActivations(7);
    float[] flat = new float[ROWS * UNITS];
    for (int i = 0; i < ROWS; i++) {
      System.arraycopy(a[i], 0, flat, i * UNITS, UNITS);
    }
    float[] out = run(new AlphaDropout(p), a, true);
    // 100,000 values: the sample mean has sd 0.003, the variance sd about 0.006.
    assertEquals(mean(flat), mean(out), 0.02, "mean");
    assertEquals(variance(flat), variance(out), 0.04, "variance");
    long saturated = 0;
    float expected =
        (float) (new AlphaDropout(p).a() * AlphaDropout.SATURATION + new AlphaDropout(p).b());
    for (float v : out) {
      saturated += Math.abs(v - expected) < 1e-5 ? 1 : 0;
    }
    assertEquals(p, saturated / (double) out.length, 0.01, "dropped units sit at a·α' + b");
  }

  @Test
  void isTheIdentityWhenNotTraining() {
    float[][] a = seluActivations(1);
    float[] flat = new float[ROWS * UNITS];
    for (int i = 0; i < ROWS; i++) {
      System.arraycopy(a[i], 0, flat, i * UNITS, UNITS);
    }
    assertArrayEquals(flat, run(new AlphaDropout(0.1), a, false));
  }

  @Test
  void parsesWithItsRate() {
    assertEquals(new AlphaDropout(0.2), DropoutSpec.parse("alpha:p=0.2"));
    assertEquals(
        List.of(new AlphaDropout(0.1)), List.of(DropoutSpec.parse(new AlphaDropout(0.1).text())));
  }
}
