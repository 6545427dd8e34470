package dev.dropwise.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.network.FeatureShape;
import dev.dropwise.ops.DropoutOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** SpatialDropout, DropBlock and spatially aware dropout on NHWC feature maps. */
class FeatureMapDropoutTest {
  static final int N = 64;
  static final int H = 8;
  static final int W = 8;
  static final int C = 4;

  /** The method's output on {@code x [N, H, W, C]} (example-major, then row, column, channel). */
  static float[] apply(DropoutSpec method, float[] x, boolean training, long step, float progress) {
    return apply(method, x, training, step, progress, null);
  }

  /** As above, fed {@code rate} as the trainer feeds a schedule's (null: none fed). */
  static float[] apply(
      DropoutSpec method, float[] x, boolean training, long step, float progress, Float rate) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> input = tf.constant(Shape.of(N, H, W, C), DataBuffers.of(x, true, false));
      DropoutContext ctx =
          new DropoutContext(
              tf,
              tf.constant(training),
              DropoutOps.create(tf).seed(7, 2, tf.constant(step)),
              tf.constant(0L),
              tf.constant(progress),
              0,
              null,
              new ArrayList<>(),
              rate == null ? null : tf.constant(rate),
              null,
              null,
              null);
      Operand<TFloat32> out = method.applyTo(ctx, input).output();
      try (Session s = new Session(g);
          Result r = s.runner().fetch(out).run()) {
        float[] values = new float[N * H * W * C];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(values, false, false));
        return values;
      }
    }
  }

  static float[] ones() {
    float[] x = new float[N * H * W * C];
    Arrays.fill(x, 1f);
    return x;
  }

  static int at(int n, int i, int j, int c) {
    return ((n * H + i) * W + j) * C + c;
  }

  @Test
  void spatialDropoutDropsWholeChannelsAndScalesTheRest() {
    double p = 0.25;
    float[] out = apply(new SpatialDropout(p), ones(), true, 3, 0);
    int dropped = 0;
    for (int n = 0; n < N; n++) {
      for (int c = 0; c < C; c++) {
        float first = out[at(n, 0, 0, c)];
        assertTrue(first == 0f || Math.abs(first - 1 / (1 - p)) < 1e-6, "0 or 1/(1-p): " + first);
        for (int i = 0; i < H; i++) {
          for (int j = 0; j < W; j++) {
            assertEquals(first, out[at(n, i, j, c)], "a channel is dropped or kept whole");
          }
        }
        dropped += first == 0f ? 1 : 0;
      }
    }
    double sigma = Math.sqrt(N * C * p * (1 - p));
    assertEquals(N * C * p, dropped, 4 * sigma, "dropped channels ~ Binomial(N*C, p)");
    assertArrayEquals(
        ones(), apply(new SpatialDropout(p), ones(), false, 3, 0), "identity at inference");
  }

  @Test
  void dropBlockTurnsEachCentreIntoOneBlockInsideTheMap() {
    DropBlock method = new DropBlock(0.1, 3, 0);
    float[][][][] valid = method.validCentres(H, W);
    int validCount = 0;
    for (float[] row : flatten(valid)) {
      validCount += row[0] > 0 ? 1 : 0;
    }
    assertEquals((H - 3 + 1) * (W - 3 + 1), validCount, "centres where a whole 3x3 block fits");
    // Hand-placed centres: one block alone, two apart, two overlapping.
    float[][][][] centres = new float[3][H][W][1];
    centres[0][2][5][0] = 1;
    centres[1][1][1][0] = 1;
    centres[1][5][5][0] = 1;
    centres[2][3][3][0] = 1;
    centres[2][4][4][0] = 1;
    float[] pattern;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      try (Session s = new Session(g);
          Result r = s.runner().fetch(DropBlock.blocks(tf, tf.constant(centres), 3)).run()) {
        pattern = new float[3 * H * W];
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(pattern, false, false));
      }
    }
    for (int n = 0; n < 3; n++) {
      int count = 0;
      for (int i = 0; i < H; i++) {
        for (int j = 0; j < W; j++) {
          boolean expected = false;
          for (int ci = 0; ci < H; ci++) {
            for (int cj = 0; cj < W; cj++) {
              expected |=
                  centres[n][ci][cj][0] > 0 && Math.abs(ci - i) <= 1 && Math.abs(cj - j) <= 1;
            }
          }
          assertEquals(
              expected ? 1f : 0f,
              pattern[(n * H + i) * W + j],
              "example " + n + " at " + i + "," + j);
          count += expected ? 1 : 0;
        }
      }
      assertEquals(new int[] {9, 18, 9 + 9 - 4}[n], count, "dropped positions of example " + n);
    }
  }

  private static float[][] flatten(float[][][][] valid) {
    float[][] rows = new float[H * W][];
    for (int i = 0; i < H; i++) {
      for (int j = 0; j < W; j++) {
        rows[i * W + j] = valid[0][i][j];
      }
    }
    return rows;
  }

  @Test
  void dropBlockNormalisesEachExampleByItsKeptFractionAndMatchesTheExpectedRate() {
    double p = 0.2;
    DropBlock method = new DropBlock(p, 3, 0);
    float[] out = apply(method, ones(), true, 11, 0);
    double dropped = 0;
    for (int n = 0; n < N; n++) {
      double total = 0;
      int kept = 0;
      for (int i = 0; i < H; i++) {
        for (int j = 0; j < W; j++) {
          float v = out[at(n, i, j, 0)];
          for (int c = 1; c < C; c++) {
            assertEquals(v, out[at(n, i, j, c)], "the block pattern is shared by the channels");
          }
          total += v;
          kept += v > 0 ? 1 : 0;
        }
      }
      if (kept > 0) {
        assertEquals(H * W, total, 1e-3, "kept positions scaled by H*W/kept: the mask sums to H*W");
        for (int i = 0; i < H; i++) {
          for (int j = 0; j < W; j++) {
            float v = out[at(n, i, j, 0)];
            assertTrue(v == 0f || Math.abs(v - (float) H * W / kept) < 1e-4);
          }
        }
      }
      dropped += H * W - kept;
    }
    // Expected dropped fraction: a position is dropped unless every valid centre whose block covers
    // it stays unchosen, each chosen with probability gamma.
    double gamma = p / 9 * (H * W) / ((H - 2.0) * (W - 2.0));
    double expected = 0;
    for (int i = 0; i < H; i++) {
      for (int j = 0; j < W; j++) {
        int covering = 0;
        for (int ci = Math.max(1, i - 1); ci <= Math.min(H - 2, i + 1); ci++) {
          for (int cj = Math.max(1, j - 1); cj <= Math.min(W - 2, j + 1); cj++) {
            covering++;
          }
        }
        expected += 1 - Math.pow(1 - gamma, covering);
      }
    }
    expected /= H * W;
    double fraction = dropped / (N * H * W);
    // Positions of one example are correlated (a block drops 9), so allow for the block size in the
    // spread.
    double sigma = Math.sqrt(expected * (1 - expected) * 9 / (N * H * W));
    assertEquals(
        expected, fraction, 4 * sigma, "dropped fraction " + fraction + " vs expected " + expected);
    assertTrue(
        expected < p && expected > 0.7 * p,
        "gamma ignores overlaps: a little under p (" + expected + ")");
  }

  @Test
  void dropBlockRampsItsRateWithProgressAndIsTheIdentityAtInference() {
    DropBlock ramped = new DropBlock(0.3, 3, 0.5);
    assertArrayEquals(ones(), apply(ramped, ones(), true, 5, 0f), "progress 0: keep probability 1");
    int half = zeros(apply(ramped, ones(), true, 5, 0.25f));
    int full = zeros(apply(ramped, ones(), true, 5, 0.5f));
    int later = zeros(apply(ramped, ones(), true, 5, 0.9f));
    assertTrue(half > 0 && half < full, "rate rises with progress: " + half + " < " + full);
    assertEquals(full, later, "constant after the ramp (same seed, same rate)");
    assertArrayEquals(
        ones(), apply(new DropBlock(0.3, 3, 0), ones(), false, 5, 0.5f), "identity at inference");
  }

  @Test
  void aScheduledDropBlockMasksAtTheFedRateAsAFixedOneDoesRampIncluded() {
    for (String ramp : new String[] {"0", "0.5"}) {
      DropoutSpec scheduled = DropoutSpec.parse("dropblock:p=curriculum(r=0.3),ramp=" + ramp);
      assertEquals(
          "dropblock:p=curriculum(r=0.3)" + (ramp.equals("0") ? "" : ",ramp=0.5"),
          scheduled.text());
      assertTrue(scheduled.rateSchedule().isPresent() && !scheduled.monteCarloAtServing());
      DropBlock fixed = new DropBlock(0.3, 3, Double.parseDouble(ramp));
      for (float progress : new float[] {0.25f, 0.75f}) {
        float[] expected = apply(fixed, ones(), true, 5, progress);
        assertTrue(zeros(expected) > 0);
        assertArrayEquals(
            expected,
            apply(scheduled, ones(), true, 5, progress, 0.3f),
            "ramp " + ramp + ", progress " + progress);
      }
      assertArrayEquals(ones(), apply(scheduled, ones(), true, 5, 0.5f, 0f), "fed 0: no drops");
    }
    assertEquals("DropBlock[p=0.3, block=3, ramp=0.0]", new DropBlock(0.3, 3, 0).toString());
  }

  private static int zeros(float[] v) {
    int z = 0;
    for (float f : v) {
      z += f == 0f ? 1 : 0;
    }
    return z;
  }

  @Test
  void spatiallyAwareDropoutNeverDropsTheProminentRegionAndDropsPOnAverage() {
    double p = 0.3;
    SpatiallyAwareDropout method = new SpatiallyAwareDropout(p, 0.5, 1);
    // Window 1: prominence = mean |a| over channels, no smoothing. Each example gets distinct
    // per-position magnitudes, so which half is protected is known exactly.
    Random random = new Random(5);
    float[] x = new float[N * H * W * C];
    double[][] prominence = new double[N][H * W];
    for (int n = 0; n < N; n++) {
      for (int q = 0; q < H * W; q++) {
        float level = (float) (0.01 + random.nextDouble());
        for (int c = 0; c < C; c++) {
          float v = level * (c % 2 == 0 ? 1 : -1);
          x[at(n, q / W, q % W, c)] = v;
          prominence[n][q] += Math.abs(v) / C;
        }
      }
    }
    double droppedTotal = 0;
    for (long step = 0; step < 4; step++) {
      float[] out = apply(method, x, true, step, 0);
      for (int n = 0; n < N; n++) {
        double[] sorted = prominence[n].clone();
        Arrays.sort(sorted);
        double median = (sorted[H * W / 2 - 1] + sorted[H * W / 2]) / 2;
        for (int q = 0; q < H * W; q++) {
          boolean dropped = out[at(n, q / W, q % W, 0)] == 0f;
          if (prominence[n][q] > median) {
            assertTrue(!dropped, "a protected (top half) position is never dropped");
          }
          droppedTotal += dropped ? 1 : 0;
        }
      }
    }
    double fraction = droppedTotal / (4.0 * N * H * W);
    assertEquals(
        p, fraction, 4 * Math.sqrt(p * (1 - p) / (4.0 * N * H * W)), "dropped fraction ~ p");
    assertArrayEquals(x, apply(method, x, false, 0, 0), "identity at inference");
  }

  @Test
  void featureMapMethodsRefuseFlatLayersAndBlocksLargerThanTheMap() {
    var flat = FeatureShape.flat(64);
    assertThrows(IllegalArgumentException.class, () -> new SpatialDropout(0.1).checkInput(flat));
    assertThrows(IllegalArgumentException.class, () -> new DropBlock(0.1, 3, 0).checkInput(flat));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DropBlock(0.1, 9, 0).checkInput(FeatureShape.map(7, 7, 8)));
    assertTrue(e.getMessage().contains("block=9"), e.getMessage());
    var tooMuch =
        assertThrows(IllegalArgumentException.class, () -> new SpatiallyAwareDropout(0.6, 0.5, 3));
    assertTrue(tooMuch.getMessage().contains("p=0.6"), tooMuch.getMessage());
  }

  @Test
  void unitViewsOnAFeatureMap() {
    var map = FeatureShape.map(7, 7, 16);
    assertEquals(
        7 * 7 * 16, new StandardDropout(0.5).featureMapUnits().width(map), "standard: every value");
    assertEquals(
        16,
        new SectorWiseDropout(8, 0.5, false).featureMapUnits().width(map),
        "sector-wise: channels");
    // Sector-wise on a map: sectors of channels, each channel dropped or kept whole.
    float[] out = apply(new SectorWiseDropout(4, 0.5, false), ones(), true, 1, 0);
    for (int n = 0; n < N; n++) {
      int droppedChannels = 0;
      for (int c = 0; c < C; c++) {
        float first = out[at(n, 0, 0, c)];
        for (int q = 0; q < H * W; q++) {
          assertEquals(first, out[at(n, q / W, q % W, c)]);
        }
        droppedChannels += first == 0f ? 1 : 0;
      }
      assertEquals(2, droppedChannels, "exactly m = 2 of the sector's 4 channels");
    }
    // Standard on a map: independent values.
    float[] standard = apply(new StandardDropout(0.5), ones(), true, 1, 0);
    int zeros = zeros(standard);
    assertEquals(0.5 * standard.length, zeros, 4 * Math.sqrt(standard.length * 0.25));
  }
}
