package dev.dropwise.network;

import org.tensorflow.ndarray.Shape;

/**
 * The shape of one example's features at some point of a model: a flat vector of {@code channels}
 * units, or a feature map {@code height x width x channels} (NHWC, as TensorFlow's convolutions
 * take it).
 */
public record FeatureShape(int height, int width, int channels, boolean map) {

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
    if (!map && (height != 1 || width != 1)) {
      throw new IllegalArgumentException("a flat feature shape has height and width 1");
    }
  }

  /** A flat vector of {@code units} values. */
  public static FeatureShape flat(int units) {
    return new FeatureShape(1, 1, units, false);
  }

  /** A feature map {@code height x width x channels}. */
  public static FeatureShape map(int height, int width, int channels) {
    return new FeatureShape(height, width, channels, true);
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

  /** Reads {@link #toString()}: {@code 784} (flat) or {@code 28x28x1}. */
  public static FeatureShape parse(String text) {
    String t = text.trim();
    if (t.matches("\\d{1,9}")) {
      return flat(Integer.parseInt(t));
    }
    return parseMap(t);
  }

  /** Number of values per example. */
  public int size() {
    return height * width * channels;
  }

  /** The batch shape {@code [-1, size]} or {@code [-1, H, W, C]}. */
  public Shape batchShape() {
    return map
        ? Shape.of(Shape.UNKNOWN_SIZE, height, width, channels)
        : Shape.of(Shape.UNKNOWN_SIZE, channels);
  }

  /** {@code reshape} target of a batch, {@code -1} for the batch size. */
  public int[] reshapeTarget() {
    return map ? new int[] {-1, height, width, channels} : new int[] {-1, channels};
  }

  @Override
  public String toString() {
    return map ? height + "x" + width + "x" + channels : String.valueOf(channels);
  }
}
