package dev.dropwise.network;

import org.tensorflow.ndarray.Shape;

/**
 * The shape of one example's features at some point of a model: a flat vector of {@code channels}
 * units, a feature map {@code height x width x channels} (NHWC, as TensorFlow's convolutions take
 * it), or a sequence of {@code height} time steps of {@code channels} features each ({@code [T,
 * F]}, as recurrent layers take it; width 1).
 */
public record FeatureShape(int height, int width, int channels, Form form) {

  /** What the values of an example are laid out as. */
  public enum Form {
    /** A vector. */
    FLAT,
    /** An image's channels at each position, NHWC. */
    MAP,
    /** Feature vectors, one per time step. */
    SEQUENCE
  }

  /**
   * Refuses a size below 1, more than {@link Integer#MAX_VALUE} values per example, and a flat
   * shape whose height or width is not 1.
   */
  public FeatureShape {
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "feature shape "
              + height
              + "x"
              + width
              + "x"
              + channels
              + " is not allowed: every size must be >= 1");
    }
    if ((long) height * width * channels > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "feature shape "
              + height
              + "x"
              + width
              + "x"
              + channels
              + " is not allowed: it "
              + "holds "
              + (long) height * width * channels
              + " values per example, more than "
              + Integer.MAX_VALUE);
    }
    if (form == Form.FLAT && (height != 1 || width != 1)) {
      throw new IllegalArgumentException("a flat feature shape has height and width 1");
    }
    if (form == Form.SEQUENCE && width != 1) {
      throw new IllegalArgumentException("a sequence's feature shape has width 1");
    }
  }

  /** Whether the example is a feature map {@code HxWxC}. */
  public boolean map() {
    return form == Form.MAP;
  }

  /** Whether the example is a sequence of time steps. */
  public boolean sequence() {
    return form == Form.SEQUENCE;
  }

  /** A sequence's time steps (1 for any other form). */
  public int steps() {
    return form == Form.SEQUENCE ? height : 1;
  }

  /** A flat vector of {@code units} values. */
  public static FeatureShape flat(int units) {
    return new FeatureShape(1, 1, units, Form.FLAT);
  }

  /** A feature map {@code height x width x channels}. */
  public static FeatureShape map(int height, int width, int channels) {
    return new FeatureShape(height, width, channels, Form.MAP);
  }

  /** A sequence of {@code steps} time steps of {@code features} values each. */
  public static FeatureShape sequence(int steps, int features) {
    return new FeatureShape(steps, 1, features, Form.SEQUENCE);
  }

  /** Reads {@code HxWxC}, e.g. {@code 28x28x1}. */
  public static FeatureShape parseMap(String text) {
    String[] parts = text.trim().split("x", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "image shape '" + text + "' is not allowed: write HEIGHTxWIDTHxCHANNELS, e.g. 28x28x1");
    }
    try {
      return map(
          Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "image shape '" + text + "' is not allowed: write HEIGHTxWIDTHxCHANNELS, e.g. 28x28x1");
    }
  }

  /**
   * Reads {@link #toString()}: {@code 784} (flat), {@code 28x28} (a sequence) or {@code 28x28x1}.
   */
  public static FeatureShape parse(String text) {
    String t = text.trim();
    if (t.matches("\\d{1,9}")) {
      return flat(Integer.parseInt(t));
    }
    if (t.matches("\\d{1,9}x\\d{1,9}")) {
      String[] parts = t.split("x");
      return sequence(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
    if (t.split("x", -1).length != 3) {
      throw new IllegalArgumentException(
          "shape '"
              + text
              + "' is not allowed: write FEATURES (784), STEPSxFEATURES (28x28, a sequence) or "
              + "HEIGHTxWIDTHxCHANNELS (28x28x1)");
    }
    return parseMap(t);
  }

  /** Number of values per example. */
  public int size() {
    return height * width * channels;
  }

  /** The batch shape {@code [-1, size]}, {@code [-1, H, W, C]} or {@code [-1, T, F]}. */
  public Shape batchShape() {
    return switch (form) {
      case FLAT -> Shape.of(Shape.UNKNOWN_SIZE, channels);
      case MAP -> Shape.of(Shape.UNKNOWN_SIZE, height, width, channels);
      case SEQUENCE -> Shape.of(Shape.UNKNOWN_SIZE, height, channels);
    };
  }

  /** {@code reshape} target of a batch, {@code -1} for the batch size. */
  public int[] reshapeTarget() {
    return switch (form) {
      case FLAT -> new int[] {-1, channels};
      case MAP -> new int[] {-1, height, width, channels};
      case SEQUENCE -> new int[] {-1, height, channels};
    };
  }

  /** {@code 784}, {@code 28x28x1} (HxWxC) or {@code 28x28} (time steps x features). */
  @Override
  public String toString() {
    return switch (form) {
      case FLAT -> String.valueOf(channels);
      case MAP -> height + "x" + width + "x" + channels;
      case SEQUENCE -> height + "x" + channels;
    };
  }
}
