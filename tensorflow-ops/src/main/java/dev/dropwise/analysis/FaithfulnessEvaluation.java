package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.importance.ImportanceOps;
import dev.dropwise.importance.InputAttribution;
import dev.dropwise.importance.InputSpace;
import dev.dropwise.importance.Target;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.util.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;

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
    int[] predicted = predicted(spec, values, data);
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

  /** Each example's predicted class. */
  static int[] predicted(ModelSpec spec, Function<String, float[]> values, Dataset data) {
    int[] out = new int[data.size()];
    try (InferenceGraph model = new InferenceGraph(spec)) {
      Operand<TInt32> classes =
          ImportanceOps.create(model.tf())
              .targetClass(
                  model.network().forward(model.tf(), model.input()), Target.PREDICTED, null);
      model.start(values);
      model.forEachChunk(
          data,
          256,
          List.of(classes),
          (from, n, r) -> {
            int[] chunk = Tensors.toIntArray((TInt32) r.get(0));
            System.arraycopy(chunk, 0, out, from, n);
          });
    }
    return out;
  }
}
