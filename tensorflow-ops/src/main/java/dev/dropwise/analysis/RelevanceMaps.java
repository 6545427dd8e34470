package dev.dropwise.analysis;

import java.util.List;

/**
 * Input relevance ready to draw: some examples (raw or scaled: a chart draws them by their range)
 * and each one's relevance, with the shape of one example ({@code [height, width, channels]} for
 * images, {@code [features]} for a table) and a caption per example.
 *
 * @param attribution the attribution's text, e.g. {@code lrp}
 * @param shape one example's shape
 * @param inputs the examples, row-major
 * @param relevance their relevance, the same layout
 * @param captions one per example, e.g. its label and the class explained
 */
public record RelevanceMaps(
    String attribution,
    List<Integer> shape,
    float[] inputs,
    float[] relevance,
    List<String> captions) {
  /** Refuses inputs and relevance of other sizes than the shape and captions say. */
  public RelevanceMaps {
    shape = List.copyOf(shape);
    captions = List.copyOf(captions);
    int size = shape.stream().reduce(1, (a, b) -> a * b);
    if (inputs.length != relevance.length || inputs.length != size * captions.size()) {
      throw new IllegalArgumentException(
          inputs.length
              + " inputs and "
              + relevance.length
              + " relevance values for "
              + captions.size()
              + " examples of shape "
              + shape);
    }
  }

  /** Whether the examples are images ({@code [height, width, channels]}). */
  public boolean images() {
    return shape.size() == 3;
  }

  /** The number of examples. */
  public int examples() {
    return captions.size();
  }

  /** Values per example. */
  public int size() {
    return inputs.length / Math.max(1, captions.size());
  }
}
