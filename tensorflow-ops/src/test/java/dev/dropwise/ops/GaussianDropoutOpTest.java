package dev.dropwise.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Gaussian dropout's multiplier: its moments, its identity off training, its determinism. */
class GaussianDropoutOpTest {
  static final int WIDTH = 64;
  static final int ROWS = 256;

  static DropoutOpHarness harness(double rate, long runSeed) {
    return new DropoutOpHarness(
        WIDTH,
        runSeed,
        (ops, x, training, seed) ->
            ops.apply(
                x,
                ops.gaussianMultiplier(
                    x, SectorWiseDropoutOpTest.fedRate(x, rate), training, seed)));
  }

  /**
   * Over 163,840 draws the multiplier's mean is 1 and its variance p/(1 - p), within five standard
   * errors (the mean's is sqrt(var / N), the variance's var * sqrt(2 / N) for a normal), and about
   * 68.3% of draws fall within one σ of 1, as a normal's do.
   */
  @ParameterizedTest(name = "p={0}")
  @ValueSource(doubles = {0.1, 0.3, 0.5, 0.8})
  void theNoiseHasMeanOneAndTheVarianceOfBernoulliDropout(double p) {
    double variance = p / (1 - p);
    double sum = 0;
    double squares = 0;
    long withinOneSigma = 0;
    long n = 0;
    try (DropoutOpHarness h = harness(p, 3)) {
      for (long step = 0; step < 10; step++) {
        for (float m : h.run(DropoutOpHarness.ones(ROWS * WIDTH), ROWS, true, step)) {
          sum += m;
          squares += (m - 1.0) * (m - 1.0);
          withinOneSigma += Math.abs(m - 1.0) <= Math.sqrt(variance) ? 1 : 0;
          n++;
        }
      }
    }
    double mean = sum / n;
    double observed = squares / n - (mean - 1) * (mean - 1);
    assertEquals(1.0, mean, 5 * Math.sqrt(variance / n), "mean");
    assertEquals(variance, observed, 5 * variance * Math.sqrt(2.0 / n), "variance");
    assertEquals(0.6827, (double) withinOneSigma / n, 0.01, "share within one sigma");
  }

  @Test
  void isTheIdentityWhenNotTrainingOrAtRateZeroAndItsGradientIsTheNoise() {
    float[] input = SectorWiseDropoutOpTest.randomInput(8 * WIDTH, 5);
    try (DropoutOpHarness h = harness(0.5, 1)) {
      assertArrayEquals(input, h.run(input, 8, false, 3), "not training: the input, bit for bit");
      float[] noise = h.run(DropoutOpHarness.ones(8 * WIDTH), 8, true, 3);
      assertArrayEquals(noise, h.gradient(input, 8, true, 3), "d(sum out)/dx is the multiplier");
      float[] out = h.run(input, 8, true, 3);
      for (int i = 0; i < out.length; i++) {
        assertEquals(input[i] * noise[i], out[i], 0f, "x times its noise, value " + i);
      }
    }
    try (DropoutOpHarness h = harness(0, 1)) {
      assertArrayEquals(input, h.run(input, 8, true, 3), "rate 0: the input");
    }
  }

  @Test
  void theSameSeedAndStepGiveTheSameNoiseOtherStepsOther() {
    float[] ones = DropoutOpHarness.ones(8 * WIDTH);
    float[] a;
    try (DropoutOpHarness h = harness(0.5, 42)) {
      a = h.run(ones, 8, true, 12);
      assertFalse(Arrays.equals(a, h.run(ones, 8, true, 13)));
    }
    try (DropoutOpHarness h = harness(0.5, 42)) {
      assertArrayEquals(a, h.run(ones, 8, true, 12), "a fresh graph with the same seed");
    }
    long distinct = 0;
    for (int i = 1; i < a.length; i++) {
      distinct += a[i] != a[i - 1] ? 1 : 0;
    }
    assertTrue(distinct == a.length - 1, "every value draws its own noise");
  }
}
