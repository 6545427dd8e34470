package dev.dropwise.prune;

import dev.dropwise.analysis.Explainer;
import dev.dropwise.data.Dataset;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.LayerNames;
import dev.dropwise.util.ParameterException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * How the units of each hidden dense layer (channels of a convolution) are ranked for pruning, most
 * worth keeping first: by any importance measure {@code explain} knows (each unit's mean |score|
 * over some examples, as the robustness analysis ranks them), by the magnitude of the unit's
 * incoming weights (the L1 or L2 norm of its kernel column, the baseline of Torch-Pruning and
 * TensorFlow's Model Optimization Toolkit), or at random.
 *
 * @param text {@code magnitude-l1}, {@code magnitude-l2}, {@code random}, or a measure's text
 */
public record UnitRanking(String text) {

  /** The rankings that are not importance measures. */
  public static final List<String> BASELINES = List.of("magnitude-l1", "magnitude-l2", "random");

  /** Refuses a text that is neither a baseline nor an importance measure, naming {@code --by}. */
  public UnitRanking {
    if (!BASELINES.contains(text)) {
      try {
        ImportanceSpec.parse(text);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            "--by",
            text,
            "not a ranking: use "
                + String.join(", ", BASELINES)
                + " or an importance measure ("
                + e.getMessage()
                + ")");
      }
    }
  }

  /** Whether the ranking needs examples (an importance measure does). */
  public boolean needsExamples() {
    return !BASELINES.contains(text);
  }

  /**
   * One score per unit of each prunable layer of {@code network} ({@link PrunableLayers}; no
   * dropout layers), whose variables hold {@code values.apply(name)}; {@code examples} scaled as
   * the network takes them (measures only), {@code seed} for the random ranking. A channel's
   * magnitude is the norm of its whole filter.
   */
  public List<double[]> scores(
      ModelSpec network, Function<String, float[]> values, Dataset examples, long seed) {
    PrunableLayers prunable = PrunableLayers.of(network);
    if (needsExamples()) {
      List<double[]> means =
          Explainer.explanation(network, values, ImportanceSpec.parse(text), examples).unitMeans();
      return prunable.hidden().stream().map(means::get).toList();
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<String> names = network.layerNames();
    List<double[]> out = new ArrayList<>();
    for (int l = 0; l < prunable.size(); l++) {
      int units = prunable.units().get(l);
      float[] kernel = values.apply(LayerNames.kernel(names.get(prunable.indices().get(l))));
      double[] score = new double[units];
      for (int u = 0; u < units; u++) {
        double sum = 0;
        for (int k = u; k < kernel.length; k += units) { // a kernel is [..., units], row-major
          double w = kernel[k];
          sum += text.equals("magnitude-l1") ? Math.abs(w) : w * w;
        }
        score[u] =
            switch (text) {
              case "magnitude-l1" -> sum;
              case "magnitude-l2" -> Math.sqrt(sum);
              default -> random.nextDouble();
            };
      }
      out.add(score);
    }
    return out;
  }

  /**
   * The units each layer keeps: the top {@code counts.get(l)} of layer l by {@code scores} (ties to
   * the lower index), in ascending order.
   */
  public static List<int[]> top(List<double[]> scores, List<Integer> counts) {
    List<int[]> kept = new ArrayList<>();
    for (int l = 0; l < scores.size(); l++) {
      double[] s = scores.get(l);
      kept.add(
          IntStream.range(0, s.length)
              .boxed()
              .sorted(Comparator.comparingDouble((Integer u) -> -s[u]).thenComparingInt(u -> u))
              .limit(counts.get(l))
              .mapToInt(Integer::intValue)
              .sorted()
              .toArray());
    }
    return kept;
  }

  /**
   * Refuses {@code shares} (of {@code option}) unless there is one per layer of {@code units}, each
   * in (0, 1] and keeping at least one unit.
   */
  public static void check(String option, List<Double> shares, List<Integer> units) {
    if (shares.size() != units.size()) {
      throw new ParameterException(
          option,
          shares.toString(),
          "give one share, or one for each of the " + units.size() + " hidden layers");
    }
    for (int l = 0; l < units.size(); l++) {
      double share = shares.get(l);
      if (!(share > 0 && share <= 1)) {
        throw new ParameterException(option, String.valueOf(share), "a share is in (0, 1]");
      }
      if (Math.round(share * units.get(l)) == 0) {
        throw new ParameterException(
            option,
            String.valueOf(share),
            "hidden layer "
                + (l + 1)
                + " has "
                + units.get(l)
                + " units, and keeping this share of them leaves none");
      }
    }
  }

  /** The shares as the user gives them: one for every layer, or one per layer. */
  public static List<Double> perLayer(List<Double> shares, int layers) {
    return shares.size() == 1 ? java.util.Collections.nCopies(layers, shares.get(0)) : shares;
  }
}
