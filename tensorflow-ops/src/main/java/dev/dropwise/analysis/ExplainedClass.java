package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which class an input explanation is for: each example's predicted class (the default), its label,
 * or one class for every example, named as the model names its classes or by index.
 *
 * @param predicted whether each example's predicted class is explained
 * @param byLabel whether its label is (else, with {@code predicted} false, {@code index})
 * @param index the one class explained, when neither
 */
public record ExplainedClass(boolean predicted, boolean byLabel, int index) {
  /** Each example's predicted class. */
  public static final ExplainedClass PREDICTED = new ExplainedClass(true, false, -1);

  /** Each example's label. */
  public static final ExplainedClass LABEL = new ExplainedClass(false, true, -1);

  /**
   * Reads {@code predicted}, {@code label}, a class name of {@code classNames} (null: the model
   * records none) or a class index below {@code classCount}; {@code option} names it in messages.
   */
  public static ExplainedClass parse(
      String option, String text, List<String> classNames, int classCount) {
    String t = text.trim();
    switch (t.toLowerCase(Locale.ROOT)) {
      case "predicted":
        return PREDICTED;
      case "label":
        return LABEL;
      default:
        break;
    }
    if (classNames != null && classNames.contains(t)) {
      return new ExplainedClass(false, false, classNames.indexOf(t));
    }
    if (t.matches("\\d{1,9}") && Integer.parseInt(t) < classCount) {
      return new ExplainedClass(false, false, Integer.parseInt(t));
    }
    throw new IllegalArgumentException(
        option
            + " "
            + text
            + " is not allowed; use predicted, label, "
            + (classNames == null
                ? "or a class index from 0 to " + (classCount - 1)
                : "a class index from 0 to "
                    + (classCount - 1)
                    + " or one of the model's classes: "
                    + String.join(", ", classNames)));
  }

  /** {@code data} with the labels the explanation feeds: its own, or this one class for all. */
  Dataset labelled(Dataset data) {
    if (predicted || byLabel) {
      return data;
    }
    int[] labels = new int[data.size()];
    Arrays.fill(labels, index);
    return new Dataset(data.features(), labels, data.featureCount(), data.classCount());
  }

  /**
   * In words, with the classes' names: {@code predicted class}, {@code label}, {@code class Shirt}.
   */
  public String text(List<String> classNames) {
    return predicted ? "predicted class" : byLabel ? "label" : "class " + classNames.get(index);
  }
}
