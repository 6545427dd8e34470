package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.importance.InputAttribution;
import dev.dropwise.importance.InputSpace;
import dev.dropwise.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every attribution's faithfulness on one model: its pixel-flipping curves (MoRF and LeRF, {@link
 * Faithfulness}) and the model-randomisation cascade ({@link RandomisationCheck}), beside a random
 * ranking's curves, the floor. Every example is explained for its predicted class.
 */
public final class FaithfulnessEvaluation {
  private FaithfulnessEvaluation() {}

  /** The name of the random ranking's rows. */
  public static final String RANDOM = "random";

  /**
   * One attribution's results; the random floor has no randomisation cascade.
   *
   * @param attribution its text
   * @param morf its curve with the most relevant features replaced first
   * @param lerf least relevant first
   * @param randomisation the cascade, top layer first; empty for the random floor
   */
  public record Result(
      String attribution,
      Faithfulness.Curve morf,
      Faithfulness.Curve lerf,
      List<RandomisationCheck.Step> randomisation) {
    /** AOPC of MoRF minus AOPC of LeRF: how far apart the two orders are (higher: better). */
    public double gap() {
      return morf.aopc() - lerf.aopc();
    }
  }

  /**
   * The random floor, then each of {@code attributions}, on {@code data} (the network's input
   * space; features replaced by {@code space}'s baseline), {@code steps} steps per curve, {@code
   * seed} for the random ranking and the fresh weights.
   */
  public static List<Result> evaluate(
      ModelSpec spec,
      Function<String, float[]> values,
      List<InputAttribution> attributions,
      InputSpace space,
      Dataset data,
      int steps,
      long seed) {
    int[] predicted = InputExplainer.classes(spec, values, data, ExplainedClass.PREDICTED);
    List<Result> out = new ArrayList<>();
    float[] random = Faithfulness.randomRelevance(data.size(), data.featureCount(), seed);
    out.add(result(spec, values, RANDOM, random, data, space, predicted, steps, List.of()));
    Dataset labelled =
        new Dataset(data.features(), predicted, data.featureCount(), data.classCount());
    for (InputAttribution a : attributions) {
      float[] relevance =
          InputExplainer.explain(spec, values, a, space, labelled, ExplainedClass.LABEL);
      List<RandomisationCheck.Step> cascade =
          RandomisationCheck.cascade(spec, values, a, space, data, predicted, seed);
      out.add(result(spec, values, a.text(), relevance, data, space, predicted, steps, cascade));
    }
    return out;
  }

  private static Result result(
      ModelSpec spec,
      Function<String, float[]> values,
      String name,
      float[] relevance,
      Dataset data,
      InputSpace space,
      int[] classes,
      int steps,
      List<RandomisationCheck.Step> cascade) {
    float[] baseline = space.baseline();
    return new Result(
        name,
        Faithfulness.curve(spec, values, name, relevance, data, baseline, classes, steps, true),
        Faithfulness.curve(spec, values, name, relevance, data, baseline, classes, steps, false),
        cascade);
  }
}
