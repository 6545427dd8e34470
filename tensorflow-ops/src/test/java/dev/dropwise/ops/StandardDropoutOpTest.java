package dev.dropwise.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StandardDropoutOpTest {

  @ParameterizedTest(name = "p={0}")
  @ValueSource(floats = {0.1f, 0.5f, 0.8f})
  void dropsAFractionPAndKeepsTheExpectationAtOne(float p) {
    int width = 128;
    int rows = 64;
    int steps = 50;
    long zeros = 0;
    double sum = 0;
    // The applied rate is round(p * 65536) / 65536 and the scale its exact inverse complement.
    float scale = 65536f / (65536f - Math.round(p * 65536f));
    try (DropoutOpHarness h =
        new DropoutOpHarness(width, 5, (ops, x, t, seed) -> ops.standard(x, p, t, seed))) {
      for (long step = 0; step < steps; step++) {
        for (float v : h.run(DropoutOpHarness.ones(rows * width), rows, true, step)) {
          if (v == 0f) {
            zeros++;
          } else {
            assertEquals(scale, v, 0f);
          }
          sum += v;
        }
      }
    }
    double n = (double) width * rows * steps;
    // 409,600 Bernoulli draws: the dropped fraction has sd <= 0.0008, the mean multiplier
    // sd sqrt(p/(1-p))/640 <= 0.0032.
    assertEquals(p, zeros / n, 0.005);
    assertEquals(1.0, sum / n, 0.015);
  }

  @Test
  void oddWidthsGetAMaskForEveryUnit() {
    int width = 7;
    int rows = 400;
    long[] zerosPerUnit = new long[width];
    try (DropoutOpHarness h =
        new DropoutOpHarness(width, 2, (ops, x, t, seed) -> ops.standard(x, 0.5f, t, seed))) {
      float[] out = h.run(DropoutOpHarness.ones(rows * width), rows, true, 0);
      for (int i = 0; i < out.length; i++) {
        zerosPerUnit[i % width] += out[i] == 0f ? 1 : 0;
      }
    }
    for (int unit = 0; unit < width; unit++) {
      // Binomial(400, 0.5): mean 200, sd 10.
      assertEquals(200.0, (double) zerosPerUnit[unit], 50.0, "unit " + unit);
    }
  }

  @Test
  void masksDifferAcrossExamplesOfOneBatch() {
    try (DropoutOpHarness h =
        new DropoutOpHarness(256, 5, (ops, x, t, seed) -> ops.standard(x, 0.5f, t, seed))) {
      float[] out = h.run(DropoutOpHarness.ones(2 * 256), 2, true, 0);
      int differing = 0;
      for (int i = 0; i < 256; i++) {
        differing += out[i] != out[256 + i] ? 1 : 0;
      }
      // Independent masks differ on half the units on average (sd 8).
      assertTrue(differing > 80, "only " + differing + " of 256 units differ between two examples");
    }
  }

  @Test
  void isTheIdentityWhenNotTraining() {
    float[] input = SectorWiseDropoutOpTest.randomInput(16 * 32, 3);
    try (DropoutOpHarness h =
        new DropoutOpHarness(32, 5, (ops, x, t, seed) -> ops.standard(x, 0.5f, t, seed))) {
      assertArrayEquals(input, h.run(input, 16, false, 0));
    }
  }

  @Test
  void refusesRatesOutsideZeroToOne() {
    for (float bad : new float[] {-0.1f, 1f, Float.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StandardDropoutRate.check("p", bad));
      assertTrue(
          e.getMessage().contains("p=" + bad) && e.getMessage().contains("[0, 1)"), e.getMessage());
    }
  }
}
