package dev.dropwise.network;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Weight initialisers, drawn with stateless random ops so that a seed fixes the initial weights.
 * Same definitions as Keras: Glorot uses fan_in + fan_out, He uses fan_in; the normal variants draw
 * from a normal truncated at two standard deviations, rescaled (÷ 0.87962566) to keep the intended
 * variance.
 */
public enum Initializer {
  /** Uniform in ±√(6 / (fan_in + fan_out)). */
  GLOROT_UNIFORM,
  /** Truncated normal of variance 2 / (fan_in + fan_out). */
  GLOROT_NORMAL,
  /** Uniform in ±√(6 / fan_in). */
  HE_UNIFORM,
  /** Truncated normal of variance 2 / fan_in. */
  HE_NORMAL;

  private static final float TRUNCATED_NORMAL_STDDEV_CORRECTION = 0.8796257f;

  /** A {@code [fanIn, fanOut]} weight matrix. */
  public Operand<TFloat32> create(Ops tf, int fanIn, int fanOut, long seed) {
    return create(tf, new long[] {fanIn, fanOut}, fanIn, fanOut, seed);
  }

  /**
   * A weight tensor of {@code shape} with the given fans; a {@code k x k} convolution from {@code
   * cin} to {@code cout} channels has fan-in {@code k·k·cin} and fan-out {@code k·k·cout}, as in
   * Keras.
   */
  public Operand<TFloat32> create(Ops tf, long[] shape, int fanIn, int fanOut, long seed) {
    double variance =
        switch (this) {
          case GLOROT_UNIFORM, GLOROT_NORMAL -> 2.0 / (fanIn + fanOut);
          case HE_UNIFORM, HE_NORMAL -> 2.0 / fanIn;
        };
    Operand<TInt64> dims = tf.constant(shape);
    Operand<TInt64> seedPair = tf.constant(new long[] {seed, 0x5eedL});
    return switch (this) {
      case GLOROT_UNIFORM, HE_UNIFORM -> {
        float limit = (float) Math.sqrt(3 * variance);
        Operand<TFloat32> u = tf.random.statelessRandomUniform(dims, seedPair, TFloat32.class);
        yield tf.math.sub(tf.math.mul(u, tf.constant(2 * limit)), tf.constant(limit));
      }
      case GLOROT_NORMAL, HE_NORMAL -> {
        float stddev = (float) Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV_CORRECTION;
        Operand<TFloat32> z = tf.random.statelessTruncatedNormal(dims, seedPair, TFloat32.class);
        yield tf.math.mul(z, tf.constant(stddev));
      }
    };
  }

  /**
   * The name that {@link #parse} reads: lower case, {@code -} for {@code _}, e.g. {@code
   * he-uniform}.
   */
  public String text() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Reads {@code glorot-uniform}, {@code glorot-normal}, {@code he-uniform} or {@code he-normal}.
   */
  public static Initializer parse(String text) {
    for (Initializer i : values()) {
      if (i.text().equalsIgnoreCase(text.trim().replace('_', '-'))) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "unknown initializer '"
            + text
            + "'; allowed: "
            + String.join(", ", Arrays.stream(values()).map(Initializer::text).toList()));
  }
}
