package dev.dropwise.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.ndarray.Shape;

/**
 * Values a model's variables start from instead of their initialisers — an imported or exported
 * model's weights — by their names in the one naming scheme ({@code dense_0_kernel}, {@code
 * conv_1_bn_moving_mean}, ...), each flattened row-major.
 *
 * @param origin where they came from (a directory), named in every message about them
 */
public record StartingWeights(String origin, Map<String, float[]> values) {

  /** Copies the map (the arrays themselves are shared). */
  public StartingWeights {
    values = Map.copyOf(values);
  }

  /**
   * The value of the variable {@code name} of {@code shape}; refused when missing or of another
   * size.
   */
  public float[] value(String name, Shape shape) {
    float[] value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "the starting weights from "
              + origin
              + " have no variable "
              + name
              + " (they have "
              + String.join(", ", new TreeMap<>(values).keySet())
              + "): the model's layers differ");
    }
    if (value.length != shape.size()) {
      throw new IllegalArgumentException(
          "the starting weights from "
              + origin
              + " do not fit: "
              + name
              + " holds "
              + value.length
              + " values, the model's "
              + name
              + " is "
              + shape
              + " = "
              + shape.size());
    }
    return value;
  }

  /**
   * SHA-256 of the names and values, in name order: what a checkpoint's fingerprint records of
   * them.
   */
  public String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, float[]> e : new TreeMap<>(values).entrySet()) {
        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        ByteBuffer bytes =
            ByteBuffer.allocate(4 * e.getValue().length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(e.getValue());
        sha.update(bytes);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
