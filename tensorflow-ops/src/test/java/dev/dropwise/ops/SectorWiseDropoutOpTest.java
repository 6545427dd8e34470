package dev.dropwise.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Sector-wise dropout's two ops, at a fixed share (pattern tables or TopK) and at a rate fed every
 * step (a schedule's): each property below is checked for both.
 */
class SectorWiseDropoutOpTest {

  /** The op at {@code layout}'s fixed share, or fed that share as a schedule would feed it. */
  static DropoutOpHarness.OpUnderTest op(boolean fed, SectorLayout layout, boolean perBatch) {
    if (!fed) {
      return (ops, x, training, seed) -> ops.sectorWise(x, layout, perBatch, training, seed);
    }
    return (ops, x, training, seed) ->
        ops.apply(
            x,
            ops.sectorWiseMultiplier(
                x, layout.n(), fedRate(x, layout.p()), perBatch, training, seed));
  }

  /** A scalar rate in {@code x}'s graph, as the trainer feeds a schedule's. */
  static Operand<TFloat32> fedRate(Operand<TFloat32> x, double rate) {
    return Ops.create(x.env()).constant((float) rate);
  }

  @ParameterizedTest(name = "width={0} n={1} p={2}")
  @CsvSource({
    "1024, 8, 0.5",
    "64, 8, 0.25",
    "20, 8, 0.5", // partial sector of 4: drops round(0.5*4) = 2
    "30, 7, 0.3", // m = round(2.1) = 2; partial sector of 2: drops round(0.6) = 1
    "17, 4, 0.5", // partial sector of 1: min(round(0.5), 0) = 0 dropped
    "10, 10, 0.9",
    "100, 32, 0.5", // C(32, 16) masks: too many for a table, built with TopK
    "70, 24, 0.25" // TopK for the full sectors and for the partial one of 22
  })
  void dropsExactlyMPerSectorPerExample(int width, int n, double p) {
    dropsExactlyMPerSector(new SectorLayout(width, n, p), false);
    dropsExactlyMPerSector(new SectorLayout(width, n, p), true);
  }

  private static void dropsExactlyMPerSector(SectorLayout layout, boolean fed) {
    int width = layout.width();
    int rows = 32;
    float[] scale = layout.keptScale();
    try (DropoutOpHarness h = new DropoutOpHarness(width, 7, op(fed, layout, false))) {
      for (long step = 0; step < 40; step++) {
        float[] out = h.run(DropoutOpHarness.ones(rows * width), rows, true, step);
        for (int row = 0; row < rows; row++) {
          int[] dropped = new int[layout.fullSectors() + 1];
          for (int unit = 0; unit < width; unit++) {
            float v = out[row * width + unit];
            if (v == 0f) {
              dropped[layout.sectorOf(unit)]++;
            } else {
              assertEquals(
                  scale[unit], v, 0f, "kept unit " + unit + " must carry its sector's scale");
            }
          }
          for (int s = 0; s < layout.fullSectors(); s++) {
            assertEquals(layout.m(), dropped[s], "step " + step + " row " + row + " sector " + s);
          }
          assertEquals(
              layout.lastM(),
              dropped[layout.fullSectors()],
              "partial sector, step " + step + " row " + row);
        }
      }
    }
  }

  @ParameterizedTest(name = "width={0} n={1} rate={2}")
  @CsvSource({
    "24, 8, 0.0", // a schedule at 0 drops nothing
    "20, 8, 0.05", // round(0.4) = 0 in a full sector, round(0.2) = 0 in the partial one
    "20, 8, 0.99", // round(7.92) = 8, clamped to 7; partial: round(3.96) = 4, clamped to 3
    "9, 3, 0.6" // round(1.8) = 2 in every sector
  })
  void aFedRateOutsideAFixedSharesRangeIsClampedToKeepOneUnit(int width, int n, double rate) {
    int rows = 16;
    try (DropoutOpHarness h =
        new DropoutOpHarness(
            width,
            5,
            (ops, x, training, seed) ->
                ops.apply(
                    x, ops.sectorWiseMultiplier(x, n, fedRate(x, rate), false, training, seed)))) {
      for (long step = 0; step < 10; step++) {
        float[] out = h.run(DropoutOpHarness.ones(rows * width), rows, true, step);
        for (int row = 0; row < rows; row++) {
          for (int first = 0; first < width; first += n) {
            int size = Math.min(n, width - first);
            // round half-up of the float32 rate, in [0, size - 1], computed here in float64
            int m = (int) Math.max(0, Math.min(size - 1, Math.floor((float) rate * size + 0.5)));
            int dropped = 0;
            for (int unit = first; unit < first + size; unit++) {
              float v = out[row * width + unit];
              dropped += v == 0f ? 1 : 0;
              if (v != 0f) {
                assertEquals((float) size / (size - m), v, 0f, "scale of unit " + unit);
              }
            }
            assertEquals(m, dropped, "sector at " + first + ", row " + row + ", step " + step);
          }
        }
      }
    }
  }

  @Test
  void patternTableHoldsEveryExactMaskOnceThenTheIdentity() {
    float[][] table = SectorLayout.patterns(8, 3);
    assertEquals(56 + 1, table.length, "C(8,3) = 56 masks and the identity row");
    Set<String> distinct = new HashSet<>();
    for (int row = 0; row < 56; row++) {
      int zeros = 0;
      for (float v : table[row]) {
        zeros += v == 0f ? 1 : 0;
        assertTrue(v == 0f || v == 8f / 5f);
      }
      assertEquals(3, zeros);
      distinct.add(Arrays.toString(table[row]));
    }
    assertEquals(56, distinct.size());
    assertArrayEquals(DropoutOpHarness.ones(8), table[56]);
    assertTrue(new SectorLayout(1024, 8, 0.5).usesPatternTables());
    assertFalse(new SectorLayout(100, 32, 0.5).usesPatternTables());
  }

  @ParameterizedTest(name = "fed rate: {0}")
  @ValueSource(booleans = {false, true})
  void everyMaskOfASectorIsEquallyLikely(boolean fed) {
    SectorLayout layout = new SectorLayout(8, 8, 0.5); // one sector, 70 possible masks
    Map<String, Integer> counts = new HashMap<>();
    int rows = 700;
    int steps = 20;
    try (DropoutOpHarness h = new DropoutOpHarness(8, 13, op(fed, layout, false))) {
      for (long step = 0; step < steps; step++) {
        float[] out = h.run(DropoutOpHarness.ones(rows * 8), rows, true, step);
        for (int row = 0; row < rows; row++) {
          counts.merge(
              Arrays.toString(Arrays.copyOfRange(out, row * 8, row * 8 + 8)), 1, Integer::sum);
        }
      }
    }
    assertEquals(70, counts.size(), "every one of the C(8,4) masks occurs");
    double expected = rows * steps / 70.0;
    double chiSquare =
        counts.values().stream().mapToDouble(c -> (c - expected) * (c - expected) / expected).sum();
    // 69 degrees of freedom: the 99.9th percentile is 111.
    assertTrue(chiSquare < 111, "chi-square " + chiSquare + " over 69 degrees of freedom");
  }

  @Test
  void partialSectorCountsAndScalesFollowTheDocumentedRule() {
    SectorLayout layout = new SectorLayout(30, 7, 0.3);
    assertEquals(4, layout.fullSectors());
    assertEquals(2, layout.m());
    assertEquals(2, layout.lastWidth());
    assertEquals(1, layout.lastM());
    assertEquals(7f / 5f, layout.keptScale()[0], 0f);
    assertEquals(2f / 1f, layout.keptScale()[29], 0f);
    assertEquals(
        0, new SectorLayout(17, 4, 0.5).lastM(), "a one-unit partial sector keeps its unit");
  }

  @ParameterizedTest(name = "fed rate: {0}")
  @ValueSource(booleans = {false, true})
  void perBatchModeSharesOneExactMaskAcrossTheBatch(boolean fed) {
    SectorLayout layout = new SectorLayout(20, 8, 0.5);
    int rows = 16;
    try (DropoutOpHarness h = new DropoutOpHarness(20, 3, op(fed, layout, true))) {
      float[] previous = null;
      for (long step = 0; step < 10; step++) {
        float[] out = h.run(DropoutOpHarness.ones(rows * 20), rows, true, step);
        float[] first = Arrays.copyOfRange(out, 0, 20);
        for (int row = 1; row < rows; row++) {
          assertArrayEquals(first, Arrays.copyOfRange(out, row * 20, row * 20 + 20), "row " + row);
        }
        int zeros = 0;
        for (float v : first) {
          zeros += v == 0f ? 1 : 0;
        }
        assertEquals(layout.dropsPerExample(), zeros);
        if (previous != null && !Arrays.equals(previous, first)) {
          return; // masks move on with the step
        }
        previous = first;
      }
      throw new AssertionError("the per-batch mask never changed over 10 steps");
    }
  }

  @ParameterizedTest(name = "fed rate: {0}")
  @ValueSource(booleans = {false, true})
  void expectedMultiplierIsOnePerUnit(boolean fed) {
    SectorLayout layout = new SectorLayout(36, 8, 0.5); // 4 full sectors and a partial one of 4
    int rows = 64;
    int steps = 200;
    double[] sum = new double[36];
    try (DropoutOpHarness h = new DropoutOpHarness(36, 11, op(fed, layout, false))) {
      for (long step = 0; step < steps; step++) {
        float[] out = h.run(DropoutOpHarness.ones(rows * 36), rows, true, step);
        for (int i = 0; i < out.length; i++) {
          sum[i % 36] += out[i];
        }
      }
    }
    int draws = rows * steps;
    double total = 0;
    for (int unit = 0; unit < 36; unit++) {
      double mean = sum[unit] / draws;
      total += mean;
      // mask*scale is 0 or 2 with p = 1/2: sd 1, so the mean of 12,800 draws has sd 0.0088.
      assertEquals(1.0, mean, 0.045, "unit " + unit);
    }
    assertEquals(1.0, total / 36, 0.01);
  }

  @ParameterizedTest(name = "fed rate: {0}")
  @ValueSource(booleans = {false, true})
  void isTheIdentityWhenNotTraining(boolean fed) {
    SectorLayout layout = new SectorLayout(20, 8, 0.5);
    float[] input = randomInput(8 * 20, 5);
    try (DropoutOpHarness h = new DropoutOpHarness(20, 1, op(fed, layout, false))) {
      assertArrayEquals(input, h.run(input, 8, false, 3));
      float[] ones = DropoutOpHarness.ones(8 * 20);
      assertArrayEquals(
          ones, h.gradient(input, 8, false, 3), "gradient is 1 everywhere at inference");
    }
  }

  @ParameterizedTest(name = "fed rate: {0}")
  @ValueSource(booleans = {false, true})
  void gradientFlowsThroughKeptUnitsOnlyWithTheirScale(boolean fed) {
    SectorLayout layout = new SectorLayout(20, 8, 0.5);
    float[] input = randomInput(4 * 20, 9);
    try (DropoutOpHarness h = new DropoutOpHarness(20, 1, op(fed, layout, false))) {
      float[] multiplier = h.run(DropoutOpHarness.ones(4 * 20), 4, true, 5);
      assertArrayEquals(
          multiplier,
          h.gradient(input, 4, true, 5),
          "d(sum out)/dx is the mask times its scale: the mask itself carries no gradient");
    }
  }

  @ParameterizedTest(name = "fed rate: {0}")
  @ValueSource(booleans = {false, true})
  void sameSeedAndStepGiveTheSameMaskOtherStepsAnother(boolean fed) {
    SectorLayout layout = new SectorLayout(64, 8, 0.5);
    float[] ones = DropoutOpHarness.ones(8 * 64);
    float[] a;
    float[] b;
    try (DropoutOpHarness h = new DropoutOpHarness(64, 42, op(fed, layout, false))) {
      a = h.run(ones, 8, true, 12);
      assertFalse(Arrays.equals(a, h.run(ones, 8, true, 13)));
    }
    try (DropoutOpHarness h = new DropoutOpHarness(64, 42, op(fed, layout, false))) {
      b = h.run(ones, 8, true, 12);
    }
    assertArrayEquals(a, b, "a fresh graph with the same seed reproduces the mask");
  }

  @Test
  void refusesLayoutsThatCannotBeExact() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new SectorLayout(1024, 1, 0.5))
            .getMessage()
            .contains("n=1"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new SectorLayout(1024, 8, 0.05))
            .getMessage()
            .contains("round(0.05*8) = 0"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new SectorLayout(1024, 8, 0.95))
            .getMessage()
            .contains("= 8"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new SectorLayout(6, 8, 0.5))
            .getMessage()
            .contains("wider than the layer (6 units)"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new SectorLayout(16, 8, 1.0))
            .getMessage()
            .contains("[0, 1)"));
  }

  static float[] randomInput(int n, long seed) {
    Random r = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }
}
