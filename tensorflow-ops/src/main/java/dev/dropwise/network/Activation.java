package dev.dropwise.network;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Activation functions of a Dense layer. */
public enum Activation {
  /** max(0, x). */
  RELU,
  /** tanh(x). */
  TANH,
  /** Scaled ELU, λ·x for x > 0 and λα(eˣ − 1) below (Klambauer et al.'s self-normalising units). */
  SELU,
  /** x itself: no activation (the output layer's, whose outputs are the logits). */
  LINEAR,
  /** 1 / (1 + e⁻ˣ). */
  SIGMOID,
  /** ELU with α = 1 (Keras's default). */
  ELU,
  /** min(max(x, 0), 6). */
  RELU6,
  /** log(1 + eˣ). */
  SOFTPLUS,
  /** x · sigmoid(x) (swish with β = 1, also called SiLU). */
  SWISH;

  /** This activation of {@code x}, elementwise. */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (this) {
      case RELU -> tf.nn.relu(x);
      case TANH -> tf.math.tanh(x);
      case SELU -> tf.nn.selu(x);
      case LINEAR -> x;
      case SIGMOID -> tf.math.sigmoid(x);
      case ELU -> tf.nn.elu(x);
      case RELU6 -> tf.nn.relu6(x);
      case SOFTPLUS -> tf.math.softplus(x);
      case SWISH -> tf.math.mul(x, tf.math.sigmoid(x));
    };
  }

  /** The lower-case name that {@link #parse} reads, e.g. {@code relu}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads an activation's name: {@code relu}, {@code tanh}, {@code sigmoid}, ... (see {@link
   * #values()}).
   */
  public static Activation parse(String text) {
    for (Activation a : values()) {
      if (a.text().equalsIgnoreCase(text.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '"
            + text
            + "'; allowed: "
            + String.join(", ", Arrays.stream(values()).map(Activation::text).toList()));
  }
}
