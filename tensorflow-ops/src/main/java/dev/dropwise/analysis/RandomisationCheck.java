package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.importance.InputAttribution;
import dev.dropwise.importance.InputSpace;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.util.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The model-randomisation sanity check (Adebayo et al. 2018): the layers' weights are replaced by
 * fresh ones from their initialisers, cascading from the top (the output layer, then the one below
 * it as well, ...), and each randomised model is explained for the same classes as the trained one.
 * An explanation that depends on what the model learned changes: the rank correlation (Spearman,
 * over each example's features, averaged over examples) between the trained and the randomised
 * model's relevance falls as more layers are randomised.
 */
public final class RandomisationCheck {
  private RandomisationCheck() {}

  /**
   * One step of the cascade.
   *
   * @param layers the layers randomised so far, top first, e.g. {@code dense_1, dense_0}
   * @param spearman the mean rank correlation of the relevance with the trained model's, over the
   *     examples where both maps rank something (NaN where none does)
   * @param spearmanOfMagnitude the same of |relevance| (Adebayo et al. show both)
   * @param constantMaps the examples left out: one of their two maps is the same for every feature
   *     (a Grad-CAM map of a randomised model can be zero everywhere)
   */
  public record Step(
      List<String> layers, double spearman, double spearmanOfMagnitude, int constantMaps) {}

  /**
   * The cascade for {@code attribution} on {@code data} (the network's input space) for the class
   * {@code classes} gives each example, fresh weights drawn with {@code seed}.
   */
  public static List<Step> cascade(
      ModelSpec spec,
      Function<String, float[]> trained,
      InputAttribution attribution,
      InputSpace space,
      Dataset data,
      int[] classes,
      long seed) {
    Dataset labelled =
        new Dataset(data.features(), classes, data.featureCount(), data.classCount());
    float[] original =
        InputExplainer.explain(spec, trained, attribution, space, labelled, ExplainedClass.LABEL);
    Map<String, float[]> fresh;
    try (ModelSession session =
        new ModelSession(spec.withoutDropout(), new OptimizerSpec.Sgd(0.01f), freshSeeds(seed))) {
      fresh = session.variableValues();
    }
    List<String> names = spec.withoutDropout().layerNames();
    List<String> parameterised = new ArrayList<>();
    for (String name : names) {
      if (fresh.keySet().stream().anyMatch(v -> v.startsWith(name + "_"))) {
        parameterised.add(0, name); // top first
      }
    }
    List<Step> steps = new ArrayList<>();
    Map<String, float[]> current = new HashMap<>();
    for (String layer : parameterised) {
      fresh.forEach(
          (variable, value) -> {
            if (variable.startsWith(layer + "_")) {
              current.put(variable, value);
            }
          });
      Function<String, float[]> values =
          v -> current.containsKey(v) ? current.get(v) : trained.apply(v);
      float[] randomised =
          InputExplainer.explain(spec, values, attribution, space, labelled, ExplainedClass.LABEL);
      steps.add(
          new Step(
              List.copyOf(steps.isEmpty() ? List.of(layer) : append(steps, layer)),
              meanSpearman(original, randomised, data.featureCount(), false),
              meanSpearman(original, randomised, data.featureCount(), true),
              constantMaps(original, randomised, data.featureCount())));
    }
    return steps;
  }

  /**
   * The seeds of the fresh weights: a stream of their own, so that they are never the weights a
   * training run of the same seed started from (which would leave the layers as they began).
   */
  static RunSeeds freshSeeds(long seed) {
    return RunSeeds.from(seed).withInit(Seeds.mix(seed, RANDOMISATION_STREAM));
  }

  /** The stream {@link #freshSeeds} mixes in; a run's own streams are 1 to 3. */
  private static final long RANDOMISATION_STREAM = 0x7a4d0;

  private static List<String> append(List<Step> steps, String layer) {
    List<String> out = new ArrayList<>(steps.get(steps.size() - 1).layers());
    out.add(layer);
    return out;
  }

  /** The mean ρ over the examples where it is defined; NaN where it is for none. */
  private static double meanSpearman(float[] a, float[] b, int features, boolean magnitude) {
    int examples = a.length / features;
    double total = 0;
    int defined = 0;
    for (int e = 0; e < examples; e++) {
      float[] x = Arrays.copyOfRange(a, e * features, (e + 1) * features);
      float[] y = Arrays.copyOfRange(b, e * features, (e + 1) * features);
      double rho =
          magnitude
              ? RankCorrelation.spearman(RankCorrelation.abs(x), RankCorrelation.abs(y))
              : RankCorrelation.spearman(x, y);
      if (!Double.isNaN(rho)) {
        total += rho;
        defined++;
      }
    }
    return defined == 0 ? Double.NaN : total / defined;
  }

  /** The examples where ρ is undefined: one of the two maps is constant. */
  private static int constantMaps(float[] a, float[] b, int features) {
    int count = 0;
    for (int e = 0; e < a.length / features; e++) {
      float[] x = Arrays.copyOfRange(a, e * features, (e + 1) * features);
      float[] y = Arrays.copyOfRange(b, e * features, (e + 1) * features);
      count += Double.isNaN(RankCorrelation.spearman(x, y)) ? 1 : 0;
    }
    return count;
  }
}
