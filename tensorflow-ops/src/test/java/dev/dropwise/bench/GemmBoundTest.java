package dev.dropwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The floor the benchmark reports: the step's products, counted as the issue counts them. */
class GemmBoundTest {

  @Test
  void anMlpStepsProductsAreTheForwardAndBothGradientsOfEveryLayer() {
    ModelSpec mlp =
        ModelSpec.mlp(
            784,
            List.of(1024, 1024),
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse("standard"),
            10);
    try (GemmBound bound = new GemmBound(mlp, 64, 0)) {
      // First layer: x W and xᵀ dy (no input gradient); the others: those and dy Wᵀ. 2 flops a
      // multiply-add.
      double expected =
          2 * 2.0 * 64 * 784 * 1024 + 3 * 2.0 * 64 * 1024 * 1024 + 3 * 2.0 * 64 * 1024 * 10;
      assertEquals(expected, bound.flops(), 0.0);
      assertEquals(0.612, bound.flops() / 1e9, 0.001, "the issue's 0.61 GFLOP per step");
      assertTrue(bound.timeOnce() > 0);
    }
  }

  @Test
  void aConvolutionCountsItsOutputPositionsTimesItsKernel() {
    ModelSpec cnn =
        Architecture.parse("conv:8x3,pool:2,dense:16")
            .build(
                FeatureShape.map(28, 28, 1),
                10,
                Activation.RELU,
                Initializer.HE_UNIFORM,
                DropoutSpec.parse("none"),
                DropoutSpec.parse("none"));
    try (GemmBound bound = new GemmBound(cnn, 4, 0)) {
      double conv =
          2 * (2.0 * 4 * 28 * 28 * 3 * 3 * 1 * 8); // forward and filter gradient, SAME padding
      double dense = 3 * 2.0 * 4 * (14 * 14 * 8) * 16; // after the pool, flattened
      double logits = 3 * 2.0 * 4 * 16 * 10;
      assertEquals(conv + dense + logits, bound.flops(), 0.0);
      assertTrue(bound.timeOnce() > 0);
    }
  }

  /**
   * An LSTM of 128 over 28 steps of 28 (sequential Fashion-MNIST): the input's projection and its
   * weight gradient once for all steps, and at each step the recurrent product, its weight gradient
   * and the gradient to the previous output — counted by hand here.
   */
  @Test
  void aRecurrentLayerCountsItsInputProjectionOnceAndItsRecurrentProductsAtEveryStep() {
    ModelSpec lstm = ModelSpec.parseNetwork("28x28", "lstm:128,dense:10");
    try (GemmBound bound = new GemmBound(lstm, 64, 0)) {
      double input = 2 * 2.0 * 64 * 28 * 28 * 512; // [64·28, 28] x [28, 4·128], and its gradient
      double recurrent = 28 * 3 * 2.0 * 64 * 128 * 512;
      double logits = 3 * 2.0 * 64 * 128 * 10;
      assertEquals(input + recurrent + logits, bound.flops(), 0.0);
      assertTrue(bound.timeOnce() > 0);
    }
  }
}
