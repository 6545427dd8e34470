package dev.dropwise.data;

import dev.dropwise.util.ParameterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A corruption of images at five severities, for measuring how accuracy and calibration hold up as
 * the test set moves away from the training distribution (Ovadia et al. 2019, "Can you trust your
 * model's uncertainty?"; the levels of noise and contrast are ImageNet-C's, Hendrycks and
 * Dietterich 2019). Every shift works on images of any value range: noise is a share of the data's
 * range and clipped to it, rotation fills with the data's smallest value (the background). Seeded,
 * so the same test set always shifts to the same examples.
 */
public enum Shift {
  /** Gaussian noise of standard deviation {@code level} × (max − min of the data), clipped. */
  NOISE("noise", 0.08, 0.12, 0.18, 0.26, 0.38),
  /** Gaussian blur of standard deviation {@code level} pixels, edges repeated. */
  BLUR("blur", 0.5, 1, 1.5, 2, 2.5),
  /** Rotation by {@code level} degrees about the centre, bilinear, background outside. */
  ROTATION("rotation", 15, 30, 45, 60, 90),
  /** Contrast: each image's channels pulled to their mean, {@code (x − mean) · level + mean}. */
  CONTRAST("contrast", 0.4, 0.3, 0.2, 0.1, 0.05),
  /** The same seeded {@code level} share of pixel positions permuted among themselves. */
  SHUFFLE("shuffle", 0.05, 0.1, 0.2, 0.35, 0.5);

  /** The severities, 1 (mildest) to this. */
  public static final int SEVERITIES = 5;

  private final String text;
  private final double[] levels;

  Shift(String text, double... levels) {
    this.text = text;
    this.levels = levels;
  }

  /** The shift's name on the command line and in files. */
  public String text() {
    return text;
  }

  /**
   * The strength at {@code severity} (1 to {@value #SEVERITIES}): σ, degrees, a factor, a share.
   */
  public double level(int severity) {
    if (severity < 1 || severity > SEVERITIES) {
      throw new IllegalArgumentException(
          "severity " + severity + " outside [1, " + SEVERITIES + "]");
    }
    return levels[severity - 1];
  }

  /**
   * Shifts named in {@code text}, comma-separated, or {@code all}; refused with {@code parameter}
   * when a name is unknown or given twice.
   */
  public static List<Shift> parseList(String text, String parameter) {
    if (text.trim().equalsIgnoreCase("all")) {
      return List.of(values());
    }
    List<Shift> shifts = new ArrayList<>();
    for (String name : text.split(",", -1)) {
      Shift shift =
          Arrays.stream(values())
              .filter(s -> s.text.equals(name.trim().toLowerCase(Locale.ROOT)))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ParameterException(
                          parameter,
                          text,
                          "'" + name + "' is not a shift; the shifts are " + names() + " or all"));
      if (shifts.contains(shift)) {
        throw new ParameterException(parameter, text, "'" + name + "' is given twice");
      }
      shifts.add(shift);
    }
    return shifts;
  }

  /** "noise, blur, rotation, contrast, shuffle". */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(Shift::text).toList());
  }

  /**
   * {@code data}'s examples, images of {@code shape} ({@code [height, width, channels]}), shifted
   * at {@code severity}; labels unchanged; {@code seed} seeds the noise and the shuffle.
   */
  public Dataset apply(Dataset data, List<Integer> shape, int severity, long seed) {
    if (shape.size() != 3
        || (long) shape.get(0) * shape.get(1) * shape.get(2) != data.featureCount()) {
      throw new IllegalArgumentException(
          "shifts work on images [height, width, channels] of "
              + data.featureCount()
              + " values, not on examples of shape "
              + shape);
    }
    Image geometry = new Image(shape.get(0), shape.get(1), shape.get(2));
    float[] x = data.features();
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double level = level(severity);
    float[] out = new float[x.length];
    int n = data.featureCount();
    SplittableRandom random = new SplittableRandom(seed);
    int[] shuffled = this == SHUFFLE ? geometry.shuffle(level, random) : null;
    for (int i = 0; i < data.size(); i++) {
      float[] image = Arrays.copyOfRange(x, i * n, (i + 1) * n);
      float[] shifted =
          switch (this) {
            case NOISE -> noise(image, level * (hi - lo), lo, hi, random);
            case BLUR -> geometry.blur(image, level);
            case ROTATION -> geometry.rotate(image, level, lo);
            case CONTRAST -> geometry.contrast(image, level);
            case SHUFFLE -> geometry.permute(image, shuffled);
          };
      System.arraycopy(shifted, 0, out, i * n, n);
    }
    return new Dataset(out, data.labels().clone(), n, data.classCount());
  }

  private static float[] noise(
      float[] image, double sigma, float lo, float hi, SplittableRandom random) {
    float[] out = new float[image.length];
    for (int k = 0; k < image.length; k++) {
      double v = image[k] + sigma * gaussian(random);
      out[k] = (float) Math.max(lo, Math.min(hi, v));
    }
    return out;
  }

  /** A standard normal draw (Box–Muller), from {@code random} alone so that a seed fixes it. */
  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble(); // in (0, 1]: the logarithm stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /** One image's geometry, channels last: value (y, x, c) at {@code (y * width + x) * c + c}. */
  private record Image(int height, int width, int channels) {
    int at(int y, int x, int c) {
      return (y * width + x) * channels + c;
    }

    float[] blur(float[] image, double sigma) {
      int radius = (int) (3 * sigma + 0.5); // as scipy.ndimage.gaussian_filter(truncate=3)
      double[] kernel = new double[2 * radius + 1];
      double sum = 0;
      for (int k = -radius; k <= radius; k++) {
        kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
        sum += kernel[k + radius];
      }
      for (int k = 0; k < kernel.length; k++) {
        kernel[k] /= sum;
      }
      // Separable: rows, then columns, in double; edges repeat the border pixel.
      double[] rows = new double[image.length];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          for (int c = 0; c < channels; c++) {
            double v = 0;
            for (int k = -radius; k <= radius; k++) {
              v += kernel[k + radius] * image[at(y, clamp(x + k, width), c)];
            }
            rows[at(y, x, c)] = v;
          }
        }
      }
      float[] out = new float[image.length];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          for (int c = 0; c < channels; c++) {
            double v = 0;
            for (int k = -radius; k <= radius; k++) {
              v += kernel[k + radius] * rows[at(clamp(y + k, height), x, c)];
            }
            out[at(y, x, c)] = (float) v;
          }
        }
      }
      return out;
    }

    private static int clamp(int i, int size) {
      return Math.max(0, Math.min(size - 1, i));
    }

    /**
     * Each output pixel samples the input at its position rotated back by {@code degrees} about the
     * centre, bilinearly; samples outside the image are {@code background}.
     */
    float[] rotate(float[] image, double degrees, float background) {
      double radians = Math.toRadians(degrees);
      double cos = Math.cos(radians);
      double sin = Math.sin(radians);
      double cy = (height - 1) / 2.0;
      double cx = (width - 1) / 2.0;
      float[] out = new float[image.length];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          // Counter-clockwise on screen (y grows downwards): the inverse map turns clockwise.
          double sx = cx + (x - cx) * cos - (y - cy) * sin;
          double sy = cy + (x - cx) * sin + (y - cy) * cos;
          for (int c = 0; c < channels; c++) {
            out[at(y, x, c)] = (float) bilinear(image, sy, sx, c, background);
          }
        }
      }
      return out;
    }

    private double bilinear(float[] image, double y, double x, int c, float background) {
      // Snap to the grid within a rounding error, so that quarter turns move pixels exactly.
      double ry = Math.rint(y);
      double rx = Math.rint(x);
      y = Math.abs(y - ry) < 1e-9 ? ry : y;
      x = Math.abs(x - rx) < 1e-9 ? rx : x;
      int y0 = (int) Math.floor(y);
      int x0 = (int) Math.floor(x);
      double fy = y - y0;
      double fx = x - x0;
      return (1 - fy)
              * ((1 - fx) * pixel(image, y0, x0, c, background)
                  + fx * pixel(image, y0, x0 + 1, c, background))
          + fy
              * ((1 - fx) * pixel(image, y0 + 1, x0, c, background)
                  + fx * pixel(image, y0 + 1, x0 + 1, c, background));
    }

    private double pixel(float[] image, int y, int x, int c, float background) {
      return y < 0 || y >= height || x < 0 || x >= width ? background : image[at(y, x, c)];
    }

    float[] contrast(float[] image, double factor) {
      float[] out = new float[image.length];
      for (int c = 0; c < channels; c++) {
        double mean = 0;
        for (int p = 0; p < height * width; p++) {
          mean += image[p * channels + c];
        }
        mean /= height * width;
        for (int p = 0; p < height * width; p++) {
          out[p * channels + c] = (float) ((image[p * channels + c] - mean) * factor + mean);
        }
      }
      return out;
    }

    /**
     * Where each pixel position takes its value from: {@code round(share · pixels)} positions,
     * drawn by {@code random}, each take the next one's value in a random order (a cycle, so every
     * chosen position changes place); the rest stay.
     */
    int[] shuffle(double share, SplittableRandom random) {
      int pixels = height * width;
      int[] from = new int[pixels];
      Arrays.setAll(from, p -> p);
      int[] order = Dataset.permutation(pixels, random.nextLong());
      int chosen = (int) Math.round(share * pixels);
      for (int k = 0; k < chosen; k++) {
        from[order[k]] = order[(k + 1) % chosen];
      }
      return from;
    }

    float[] permute(float[] image, int[] from) {
      float[] out = new float[image.length];
      for (int p = 0; p < from.length; p++) {
        for (int c = 0; c < channels; c++) {
          out[p * channels + c] = image[from[p] * channels + c];
        }
      }
      return out;
    }
  }
}
