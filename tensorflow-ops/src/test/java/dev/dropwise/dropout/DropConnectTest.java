package dev.dropwise.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.ops.DropoutOps;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class DropConnectTest {
  static float[] masked(double p, boolean training, long step) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      float[][] ones = new float[100][80];
      for (float[] row : ones) {
        Arrays.fill(row, 1f);
      }
      DropoutContext ctx =
          DropoutContext.standalone(
              tf, tf.constant(training), DropoutOps.create(tf).seed(4, 1, tf.constant(step)));
      Operand<TFloat32> kernel = new DropConnect(p).maskNextKernel(ctx, tf.constant(ones));
      try (Session s = new Session(g);
          Result r = s.runner().fetch(kernel).run()) {
        float[] v = new float[8000];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(v, false, false));
        return v;
      }
    }
  }

  @Test
  void dropsAFractionPOfTheWeightsAndScalesTheRest() {
    float[] k = masked(0.3, true, 0);
    long zeros = 0;
    for (float v : k) {
      if (v == 0f) {
        zeros++;
      } else {
        assertEquals(1 / 0.7f, v, 1e-6f);
      }
    }
    // 8,000 Bernoulli(0.3) draws: sd of the fraction 0.005.
    assertEquals(0.3, zeros / 8000.0, 0.02);
    assertFalse(Arrays.equals(k, masked(0.3, true, 1)), "a new mask each step");
    assertArrayEquals(k, masked(0.3, true, 0), "the same mask for the same seed and step");
  }

  @Test
  void leavesTheKernelAsItIsWhenNotTraining() {
    float[] k = masked(0.5, false, 0);
    for (float v : k) {
      assertEquals(1f, v, 0f);
    }
  }

  @Test
  void aModelWithDropConnectTrainsAndAMisplacedOneIsRefused() throws Exception {
    ModelSpec spec =
        ModelSpec.mlp(
            784,
            List.of(64),
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse("dropconnect:p=0.3"),
            10);
    var split = TestSupport.embedded().train().head(1500).split(0.1, 1);
    try (TrainingRun run =
        Trainer.train(
            spec,
            split.train(),
            split.validation(),
            TrainConfig.defaults().withEpochs(2),
            ProgressListener.NONE)) {
      assertTrue(run.model().evaluate(TestSupport.embedded().test()).accuracy() > 0.6);
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ModelSpec(
                    784,
                    List.of(
                        new LayerSpec.Dense(16, Activation.RELU, Initializer.HE_UNIFORM),
                        new LayerSpec.Dropout(new DropConnect(0.5)),
                        new LayerSpec.Dropout(new StandardDropout(0.5)),
                        new LayerSpec.Dense(10, Activation.LINEAR, Initializer.GLOROT_UNIFORM))));
    assertTrue(e.getMessage().contains("must be followed by a Dense layer"), e.getMessage());
    assertEquals(new DropConnect(0.3), DropoutSpec.parse(new DropConnect(0.3).text()));
  }
}
