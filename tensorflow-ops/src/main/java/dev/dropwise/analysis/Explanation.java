package dev.dropwise.analysis;

import java.util.List;

/**
 * The importance of every hidden unit (channel, after a convolution or pooling) of a model on some
 * examples, computed once by {@link Explainer#explanation}, and what the analyses make of it: the
 * profile of Y-Drop's Fig. 2 and the per-unit means that rank units for Fig. 3.
 *
 * @param measure the importance measure's text
 * @param scores per hidden layer, {@code [examples * units]}
 */
public record Explanation(String measure, List<float[]> scores, int examples) {
  /**
   * Sorted mean importance and its cumulative share per layer, for a model trained with {@code
   * trainedWith}.
   */
  public ImportanceProfile profile(String trainedWith) {
    return ImportanceProfile.of(measure, trainedWith, scores, examples);
  }

  /**
   * Per layer, each unit's mean importance over the examples: the ranking of {@link
   * Robustness#curve}.
   */
  public List<double[]> unitMeans() {
    return ImportanceProfile.unitMeans(scores, examples);
  }
}
