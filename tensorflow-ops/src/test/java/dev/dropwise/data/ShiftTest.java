package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The five shifts: blur and rotation against SciPy's {@code ndimage} on the same images, noise,
 * contrast and shuffle against the properties that define them, every shift seeded and leaving
 * labels alone.
 */
class ShiftTest {
  @TempDir Path dir;

  static final int H = 9;
  static final int W = 7;

  /** {@code count} images H×W×{@code channels} of values in [0, 255], labels 0, 1, 2, ... */
  static Dataset images(int count, int channels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[count * H * W * channels];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (255 * r.nextDouble());
    }
    int[] y = new int[count];
    Arrays.setAll(y, i -> i % 3);
    return new Dataset(x, y, H * W * channels, 3);
  }

  /**
   * Every shifted image SciPy makes of {@code data} by {@code call} (a function of an H×W array
   * {@code a} and the level {@code v}), channel by channel, at every severity of {@code shift}.
   */
  float[][] scipy(Dataset data, int channels, Shift shift, String call)
      throws IOException, InterruptedException {
    StringBuilder text = new StringBuilder();
    for (float v : data.features()) {
      text.append((double) v).append('\n');
    }
    Files.writeString(dir.resolve("x.txt"), text);
    StringBuilder levels = new StringBuilder();
    for (int s = 1; s <= Shift.SEVERITIES; s++) {
      levels.append(shift.level(s)).append(',');
    }
    String program =
        "import numpy as np\nfrom scipy import ndimage\n"
            + "x = np.loadtxt('x.txt').reshape(-1, %d, %d, %d)\n".formatted(H, W, channels)
            + "for v in [%s]:\n".formatted(levels)
            + "  out = np.stack([np.stack([(lambda a: %s)(img[:, :, c]) for c in range(%d)], -1)"
                .formatted(call, channels)
            + " for img in x])\n"
            + "  print(' '.join(repr(float(t)) for t in out.ravel()))\n";
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", program)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    String[] lines = out.strip().split("\n");
    float[][] result = new float[lines.length][];
    for (int s = 0; s < lines.length; s++) {
      String[] values = lines[s].split(" ");
      result[s] = new float[values.length];
      for (int k = 0; k < values.length; k++) {
        result[s][k] = (float) Double.parseDouble(values[k]);
      }
    }
    return result;
  }

  static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], actual[k], tolerance, what + " at " + k);
    }
  }

  @Test
  void blurIsScipysGaussianFilterWithEdgesRepeated() throws Exception {
    for (int channels : new int[] {1, 3}) {
      Dataset data = images(4, channels, 7);
      float[][] want =
          scipy(
              data,
              channels,
              Shift.BLUR,
              "ndimage.gaussian_filter(a, v, mode='nearest', truncate=3.0)");
      for (int s = 1; s <= Shift.SEVERITIES; s++) {
        float[] got = Shift.BLUR.apply(data, List.of(H, W, channels), s, 1).features();
        assertClose(want[s - 1], got, 1e-3, "blur severity " + s + ", " + channels + " channels");
      }
    }
  }

  @Test
  void rotationIsScipysBilinearRotationAboutTheCentre() throws Exception {
    Dataset data = images(4, 2, 11);
    // The background is the data's smallest value; ndimage fills with it too, and interpolates
    // between it and the edge pixels ('grid-constant'), as the shift does.
    float lo = Float.MAX_VALUE;
    for (float v : data.features()) {
      lo = Math.min(lo, v);
    }
    float[][] want =
        scipy(
            data,
            2,
            Shift.ROTATION,
            "ndimage.rotate(a, v, reshape=False, order=1, mode='grid-constant', cval=%s)"
                .formatted((double) lo));
    for (int s = 1; s <= Shift.SEVERITIES; s++) {
      float[] got = Shift.ROTATION.apply(data, List.of(H, W, 2), s, 1).features();
      assertClose(want[s - 1], got, 1e-3, "rotation severity " + s);
    }
  }

  @Test
  void aQuarterTurnMovesPixelsExactly() {
    // A square image: 90 degrees puts every pixel on another's place, with no interpolation.
    int n = 6;
    float[] x = new float[n * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    Dataset square = new Dataset(x, new int[] {0}, n * n, 1);
    float[] turned = Shift.ROTATION.apply(square, List.of(n, n, 1), 5, 1).features();
    float[] sorted = turned.clone();
    Arrays.sort(sorted);
    assertArrayEquals(x, sorted, "a permutation of the pixels");
    for (int y = 0; y < n; y++) {
      for (int c = 0; c < n; c++) {
        // Counter-clockwise as shown (row 0 at the top): the top row becomes the left column.
        assertEquals(x[c * n + (n - 1 - y)], turned[y * n + c], "pixel " + y + "," + c);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Shift.class)
  void everyShiftIsSeededKeepsLabelsAndRefusesNonImages(Shift shift) {
    Dataset data = images(5, 1, 3);
    for (int s = 1; s <= Shift.SEVERITIES; s++) {
      Dataset a = shift.apply(data, List.of(H, W, 1), s, 42);
      Dataset b = shift.apply(data, List.of(H, W, 1), s, 42);
      assertArrayEquals(a.features(), b.features(), "same seed, same images");
      assertArrayEquals(data.labels(), a.labels());
      assertTrue(!Arrays.equals(data.features(), a.features()), "severity " + s + " changes them");
    }
    assertThrows(IllegalArgumentException.class, () -> shift.apply(data, List.of(H * W), 1, 1));
    assertThrows(IllegalArgumentException.class, () -> shift.level(0));
    assertThrows(IllegalArgumentException.class, () -> shift.level(6));
  }

  @Test
  void noiseHasTheStandardDeviationOfItsLevelAndStaysInTheDataRange() {
    // Images at mid-grey, with one pixel at 0 and one at 255 setting the range.
    int count = 400;
    float[] x = new float[count * H * W];
    Arrays.fill(x, 127.5f);
    x[0] = 0;
    x[1] = 255;
    Dataset data = new Dataset(x, new int[count], H * W, 1);
    for (int s = 1; s <= Shift.SEVERITIES; s++) {
      float[] got = Shift.NOISE.apply(data, List.of(H, W, 1), s, 5).features();
      double sigma = Shift.NOISE.level(s) * 255;
      double sum = 0;
      double squares = 0;
      int n = 0;
      for (int k = 2; k < got.length; k++) {
        assertTrue(got[k] >= 0 && got[k] <= 255, "clipped to the range");
        if (got[k] > 0 && got[k] < 255) { // clipping is rare below 3.5 sigma; skip those
          double d = got[k] - 127.5;
          sum += d;
          squares += d * d;
          n++;
        }
      }
      if (s > 3) {
        continue; // beyond 2.8 sigma of the range's middle clipping is common; checked above
      }
      assertTrue(n > 0.99 * (got.length - 2), "few clipped at severity " + s);
      double mean = sum / n;
      double std = Math.sqrt(squares / n - mean * mean);
      // 25,000 draws: the mean within 5 standard errors, the std within 3% (clipping trims it).
      assertEquals(0, mean, 5 * sigma / Math.sqrt(n), "mean at severity " + s);
      assertEquals(sigma, std, 0.03 * sigma, "std at severity " + s);
    }
  }

  @Test
  void contrastKeepsEachChannelsMeanAndScalesItsDeviations() {
    Dataset data = images(3, 3, 9);
    int n = H * W * 3;
    for (int s = 1; s <= Shift.SEVERITIES; s++) {
      float[] got = Shift.CONTRAST.apply(data, List.of(H, W, 3), s, 1).features();
      double factor = Shift.CONTRAST.level(s);
      for (int i = 0; i < data.size(); i++) {
        for (int c = 0; c < 3; c++) {
          double mean = 0;
          for (int p = 0; p < H * W; p++) {
            mean += data.features()[i * n + p * 3 + c];
          }
          mean /= H * W;
          for (int p = 0; p < H * W; p++) {
            int k = i * n + p * 3 + c;
            assertEquals((data.features()[k] - mean) * factor + mean, got[k], 1e-3);
          }
        }
      }
    }
  }

  @Test
  void shuffleMovesExactlyItsShareOfPositionsTheSameForEveryImage() {
    // Distinct values per image, so that a moved pixel shows.
    int count = 3;
    float[] x = new float[count * H * W];
    for (int k = 0; k < x.length; k++) {
      x[k] = k;
    }
    Dataset data = new Dataset(x, new int[count], H * W, 1);
    for (int s = 1; s <= Shift.SEVERITIES; s++) {
      float[] got = Shift.SHUFFLE.apply(data, List.of(H, W, 1), s, 8).features();
      int moved = 0;
      for (int i = 0; i < count; i++) {
        float[] image = Arrays.copyOfRange(got, i * H * W, (i + 1) * H * W);
        float[] sorted = image.clone();
        Arrays.sort(sorted);
        assertArrayEquals(
            Arrays.copyOfRange(x, i * H * W, (i + 1) * H * W), sorted, "a permutation");
        for (int p = 0; p < H * W; p++) {
          assertEquals(
              got[p] - x[p], image[p] - x[i * H * W + p], "image " + i + " moved as image 0");
          moved += image[p] != x[i * H * W + p] ? 1 : 0;
        }
      }
      assertEquals(count * Math.round(Shift.SHUFFLE.level(s) * H * W), moved, "severity " + s);
    }
  }

  @Test
  void listsReadByNameOrAllAndRefuseUnknownOrRepeatedNames() {
    assertEquals(List.of(Shift.values()), Shift.parseList("all", "shifts"));
    assertEquals(List.of(Shift.BLUR, Shift.NOISE), Shift.parseList("blur, noise", "shifts"));
    ParameterException unknown =
        assertThrows(ParameterException.class, () -> Shift.parseList("blur,fog", "shifts"));
    assertEquals(
        "shifts blur,fog: 'fog' is not a shift; the shifts are noise, blur, rotation, contrast,"
            + " shuffle or all",
        unknown.getMessage());
    assertEquals(
        "shifts blur,blur: 'blur' is given twice",
        assertThrows(ParameterException.class, () -> Shift.parseList("blur,blur", "shifts"))
            .getMessage());
  }
}
