package dev.dropwise.importance;

import java.util.Locale;

/**
 * Which output an importance measure explains. {@link #PREDICTED} is the default: explaining the
 * true label inside training leaks the label into the mask (a per-example mask then encodes the
 * answer, and training loss falls while dropout-free accuracy does not rise).
 */
public enum Target {
  /** The class the model predicts. */
  PREDICTED,
  /** The true class. */
  LABEL;

  /** Reads {@code predicted} or {@code label}. */
  public static Target parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "predicted", "prediction" -> PREDICTED;
      case "label", "true" -> LABEL;
      default ->
          throw new IllegalArgumentException(
              "target=" + text + " is not allowed; use predicted or label");
    };
  }
}
