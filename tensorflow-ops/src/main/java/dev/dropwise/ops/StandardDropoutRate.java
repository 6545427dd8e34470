package dev.dropwise.ops;

/** The rule every dropout rate follows: p in [0, 1), as Keras' {@code Dropout} requires. */
public final class StandardDropoutRate {
  private StandardDropoutRate() {}

  /** Throws naming {@code parameter} unless {@code 0 <= p < 1}. */
  public static void check(String parameter, double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException(
          "dropout rate " + parameter + "=" + p + " is not allowed: it must be in [0, 1)");
    }
  }
}
