package dev.dropwise.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How raw inputs are scaled before the network sees them: {@code x' = (x - shift) / divisor}, per
 * feature (or one value for all). The statistics come from the training split alone; an export
 * stores them and its serving graph applies them, so a served model takes raw features.
 *
 * @param scale what was asked for
 * @param shift one value per feature, or a single value for every feature
 * @param divisor alike; never 0
 */
public record Preprocessing(Scale scale, float[] shift, float[] divisor) {

  /** The kinds of scaling: {@code --scale none|unit|standardize}. */
  public enum Scale {
    /** As read. */
    NONE,
    /**
     * Into [0, 1]: 8-bit values divided by 255, other values by the training split's per-feature
     * min and max.
     */
    UNIT,
    /** Per feature, the training split's mean subtracted and its standard deviation divided out. */
    STANDARDIZE;

    /** Reads {@code none}, {@code unit} or {@code standardize}. */
    public static Scale parse(String text) {
      for (Scale s : values()) {
        if (s.text().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "scale '" + text + "' is not allowed: none, unit or standardize");
    }

    /** The lower-case name that {@link #parse} reads. */
    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Nothing done. */
  public static final Preprocessing NONE =
      new Preprocessing(Scale.NONE, new float[] {0f}, new float[] {1f});

  /** {@link Scale#UNIT} for 8-bit values (pixels): divided by 255. */
  public static final Preprocessing EIGHT_BIT_UNIT =
      new Preprocessing(Scale.UNIT, new float[] {0f}, new float[] {255f});

  /**
   * Refuses shifts and divisors of different lengths or none, and a divisor that is 0 or not
   * finite.
   */
  public Preprocessing {
    if (shift.length != divisor.length || shift.length == 0) {
      throw new IllegalArgumentException(
          shift.length + " shifts but " + divisor.length + " divisors");
    }
    for (float d : divisor) {
      if (!(d != 0 && Float.isFinite(d))) {
        throw new IllegalArgumentException("a divisor of " + d + " is not allowed");
      }
    }
  }

  /**
   * The scaling {@code scale} with statistics from {@code train}; {@code eightBit}: the values are
   * 8-bit (pixels), which {@link Scale#UNIT} divides by 255 — what Fashion-MNIST always was.
   */
  public static Preprocessing fit(Scale scale, Dataset train, boolean eightBit) {
    int f = train.featureCount();
    int n = train.size();
    float[] x = train.features();
    return switch (scale) {
      case NONE -> NONE;
      case UNIT -> eightBit ? EIGHT_BIT_UNIT : minMax(x, n, f);
      case STANDARDIZE -> meanStd(x, n, f);
    };
  }

  /** Per feature: the minimum and the range of {@code n} rows of {@code f} features. */
  private static Preprocessing minMax(float[] x, int n, int f) {
    float[] min = new float[f];
    float[] range = new float[f];
    Arrays.fill(min, Float.POSITIVE_INFINITY);
    float[] max = new float[f];
    Arrays.fill(max, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        min[j] = Math.min(min[j], x[i * f + j]);
        max[j] = Math.max(max[j], x[i * f + j]);
      }
    }
    for (int j = 0; j < f; j++) {
      range[j] = max[j] > min[j] ? max[j] - min[j] : 1f; // a constant feature stays put
    }
    return new Preprocessing(Scale.UNIT, min, range);
  }

  /** Per feature: the mean and the (population) standard deviation of {@code n} rows. */
  private static Preprocessing meanStd(float[] x, int n, int f) {
    double[] sum = new double[f];
    double[] squares = new double[f];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        sum[j] += x[i * f + j];
      }
    }
    float[] mean = new float[f];
    for (int j = 0; j < f; j++) {
      mean[j] = (float) (sum[j] / n);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        double d = x[i * f + j] - mean[j];
        squares[j] += d * d;
      }
    }
    float[] std = new float[f];
    for (int j = 0; j < f; j++) {
      float s = (float) Math.sqrt(squares[j] / n);
      std[j] = s > 0 ? s : 1f; // a constant feature is only centred
    }
    return new Preprocessing(Scale.STANDARDIZE, mean, std);
  }

  /** {@code data} scaled; the same object when nothing is done. */
  public Dataset apply(Dataset data) {
    if (scale == Scale.NONE) {
      return data;
    }
    int f = data.featureCount();
    if (shift.length != 1 && shift.length != f) {
      throw new IllegalArgumentException(
          "a scaling fitted on " + shift.length + " features cannot scale data with " + f);
    }
    float[] x = data.features();
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      int j = shift.length == 1 ? 0 : i % f;
      out[i] = (x[i] - shift[j]) / divisor[j];
    }
    return new Dataset(out, data.labels(), f, data.classCount());
  }

  /** What an export's metadata stores. */
  public Map<String, Object> toMetadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scale", scale.text());
    m.put("shift", shift);
    m.put("divisor", divisor);
    return m;
  }

  /** Reads {@link #toMetadata()} back. */
  public static Preprocessing fromMetadata(Map<String, Object> m) {
    if (!(m.get("scale") instanceof String scale)) {
      throw new IllegalArgumentException(
          "its scale " + m.get("scale") + " is not one of none, unit, standardize");
    }
    return new Preprocessing(Scale.parse(scale), floats(m, "shift"), floats(m, "divisor"));
  }

  /**
   * A list of finite numbers, at least one, as the metadata holds {@code shift} and {@code
   * divisor}.
   */
  private static float[] floats(Map<String, Object> m, String key) {
    if (!(m.get(key) instanceof List<?> values) || values.isEmpty()) {
      throw new IllegalArgumentException(
          "its " + key + " " + m.get(key) + " is not a list of numbers");
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(values.get(i) instanceof Number n) || !Float.isFinite(n.floatValue())) {
        throw new IllegalArgumentException(
            "its " + key + " holds " + values.get(i) + ", which is not a finite number");
      }
      out[i] = n.floatValue();
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p
        && p.scale == scale
        && Arrays.equals(p.shift, shift)
        && Arrays.equals(p.divisor, divisor);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * scale.hashCode() + Arrays.hashCode(shift)) + Arrays.hashCode(divisor);
  }

  @Override
  public String toString() {
    if (scale == Scale.NONE) {
      return "none";
    }
    if (shift.length == 1) {
      return scale.text()
          + " ("
          + (shift[0] == 0 ? "x" : "(x - " + number(shift[0]) + ")")
          + " / "
          + number(divisor[0])
          + ")";
    }
    return scale.text()
        + " (per feature, statistics of the training split's "
        + shift.length
        + " features)";
  }

  private static String number(float v) {
    return new java.math.BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString();
  }
}
