package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.importance.InputAttribution;
import dev.dropwise.importance.InputSpace;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.RunSeeds;
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
   * @param spearman the mean rank correlation of the relevance with the trained model's
   * @param spearmanOfMagnitude the same of |relevance| (Adebayo et al. show both)
   */
  public record Step(List<String> layers, double spearman, double spearmanOfMagnitude) {}

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
        new ModelSession(
            spec.withoutDropout(), new OptimizerSpec.Sgd(0.01f), RunSeeds.from(seed))) {
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
              meanSpearman(original, randomised, data.featureCount(), true)));
    }
    return steps;
  }

  private static List<String> append(List<Step> steps, String layer) {
    List<String> out = new ArrayList<>(steps.get(steps.size() - 1).layers());
    out.add(layer);
    return out;
  }

  private static double meanSpearman(float[] a, float[] b, int features, boolean magnitude) {
    int examples = a.length / features;
    double total = 0;
    for (int e = 0; e < examples; e++) {
      float[] x = Arrays.copyOfRange(a, e * features, (e + 1) * features);
      float[] y = Arrays.copyOfRange(b, e * features, (e + 1) * features);
      total +=
          magnitude
              ? RankCorrelation.spearman(RankCorrelation.abs(x), RankCorrelation.abs(y))
              : RankCorrelation.spearman(x, y);
    }
    return total / examples;
  }
}
