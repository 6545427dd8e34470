package dev.dropwise.network;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Activation functions of a Dense layer. */
public enum Activation {
  RELU,
  TANH,
  SELU,
  LINEAR;

  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (this) {
      case RELU -> tf.nn.relu(x);
      case TANH -> tf.math.tanh(x);
      case SELU -> tf.nn.selu(x);
      case LINEAR -> x;
    };
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code relu}, {@code tanh}, {@code selu} or {@code linear}. */
  public static Activation parse(String text) {
    for (Activation a : values()) {
      if (a.text().equalsIgnoreCase(text.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + text + "'; allowed: "
            + String.join(", ", Arrays.stream(values()).map(Activation::text).toList()));
  }
}
