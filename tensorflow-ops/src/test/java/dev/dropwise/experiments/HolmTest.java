package dev.dropwise.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HolmTest {
  @Test
  void stepsDownFromTheSmallestAndStaysMonotone() {
    // m = 4 tested; sorted 0.01, 0.02, 0.03, 0.5: 4*0.01, max(0.04, 3*0.02), max(0.06, 2*0.03),
    // max(0.06, 1*0.5).
    double[] adjusted = Holm.adjust(new double[] {0.03, Double.NaN, 0.5, 0.01, 0.02});
    assertArrayEquals(new double[] {0.06, Double.NaN, 0.5, 0.04, 0.06}, adjusted, 1e-12);
    // A large multiplier is capped at 1, and the later ones keep at least that value.
    assertArrayEquals(new double[] {1, 1}, Holm.adjust(new double[] {0.6, 0.7}), 1e-12);
  }
}
