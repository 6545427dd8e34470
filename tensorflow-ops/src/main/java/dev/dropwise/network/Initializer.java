package dev.dropwise.network;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.Qr;
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
  HE_NORMAL,
  /**
   * A random orthogonal matrix (Saxe et al. 2014), as Keras's {@code Orthogonal}: the Q of a normal
   * matrix's QR decomposition, signs fixed by R's diagonal; a recurrent kernel's default.
   */
  ORTHOGONAL;

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
    Operand<TInt64> seedPair = tf.constant(new long[] {seed, 0x5eedL});
    if (this == ORTHOGONAL) {
      return orthogonal(tf, shape, seedPair);
    }
    double variance =
        switch (this) {
          case GLOROT_UNIFORM, GLOROT_NORMAL -> 2.0 / (fanIn + fanOut);
          default -> 2.0 / fanIn;
        };
    Operand<TInt64> dims = tf.constant(shape);
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
      default -> throw new IllegalStateException("no initialiser " + this);
    };
  }

  /**
   * Keras's {@code Orthogonal(gain=1)}: rows (the product of all but the last dimension) by
   * columns, the taller of the two orientations decomposed, transposed back when wide.
   */
  private static Operand<TFloat32> orthogonal(Ops tf, long[] shape, Operand<TInt64> seedPair) {
    long cols = shape[shape.length - 1];
    long rows = Arrays.stream(shape).reduce(1, (a, b) -> a * b) / cols;
    Operand<TFloat32> a =
        tf.random.statelessRandomNormal(
            tf.constant(new long[] {Math.max(rows, cols), Math.min(rows, cols)}),
            seedPair,
            TFloat32.class);
    Qr<TFloat32> qr = tf.linalg.qr(a, Qr.fullMatrices(false));
    Operand<TFloat32> q = tf.math.mul(qr.q(), tf.math.sign(tf.linalg.tensorDiagPart(qr.r())));
    if (rows < cols) {
      q = tf.linalg.transpose(q, tf.constant(new int[] {1, 0}));
    }
    return tf.reshape(q, tf.constant(shape));
  }

  /**
   * The name that {@link #parse} reads: lower case, {@code -} for {@code _}, e.g. {@code
   * he-uniform}.
   */
  public String text() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Reads {@code glorot-uniform}, {@code glorot-normal}, {@code he-uniform}, {@code he-normal} or
   * {@code orthogonal}.
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
