package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.importance.ImportanceOps;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.WeightStore;
import dev.dropwise.network.Network;
import dev.dropwise.util.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * Importance of a trained model's hidden units on given examples: one {@code examples × units}
 * matrix per hidden layer of its {@link Network} (after a convolution or pooling, one column per
 * channel: {@link ImportanceOps#channelTotals}), computed in chunks so that conductance's
 * interpolation batches stay small.
 */
public final class Explainer {
  private static final int CHUNK = 256;

  private Explainer() {}

  /** {@link #explain}, kept with the measure and the number of examples for the analyses. */
  public static Explanation explanation(
      ModelSpec spec, Function<String, float[]> values, ImportanceSpec measure, Dataset data) {
    return new Explanation(measure.text(), explain(spec, values, measure, data), data.size());
  }

  /**
   * Scores per hidden layer, each flattened row-major {@code [data.size() * units]}, for the model
   * {@code spec} (its dropout layers play no part) whose variables hold {@code values.apply(name)}
   * ({@link WeightStore#variables()}'s names, e.g. {@code conv_0_kernel}).
   */
  public static List<float[]> explain(
      ModelSpec spec, Function<String, float[]> values, ImportanceSpec measure, Dataset data) {
    return scores(spec, values, measure, data).units();
  }

  /**
   * Per hidden layer, the scores of its units ({@code [examples * units]}) and, for a recurrent
   * layer, of its units at every step ({@code [examples * T * units]}, their sum over the steps
   * being the first; null for the other layers).
   */
  public record Scores(List<float[]> units, List<float[]> steps) {}

  /** {@link #explain}, with a recurrent layer's scores at every step as well. */
  public static Scores scores(
      ModelSpec spec, Function<String, float[]> values, ImportanceSpec measure, Dataset data) {
    try (InferenceGraph model = new InferenceGraph(spec)) {
      Network network = model.network();
      ImportanceOps ops = ImportanceOps.create(model.tf());
      List<Operand<TFloat32>> raw =
          measure.scores(model.tf(), network, model.input(), model.labels());
      List<Operand<TFloat32>> fetched =
          new ArrayList<>(raw.stream().map(ops::channelTotals).toList());
      List<float[]> units = new ArrayList<>();
      List<float[]> steps = new ArrayList<>();
      List<Integer> stepIndex = new ArrayList<>();
      for (int l = 0; l < network.hiddenCount(); l++) {
        units.add(new float[data.size() * network.units(l)]);
        boolean overTime = raw.get(l).shape().numDimensions() == 3;
        steps.add(overTime ? new float[data.size() * perExample(raw.get(l))] : null);
        stepIndex.add(overTime ? fetched.size() : -1);
        if (overTime) {
          fetched.add(raw.get(l));
        }
      }
      model.start(values);
      model.forEachChunk(
          data,
          CHUNK,
          fetched,
          (from, n, r) -> {
            for (int l = 0; l < units.size(); l++) {
              copy(r.get(l), units.get(l), from, n);
              if (stepIndex.get(l) >= 0) {
                copy(r.get(stepIndex.get(l)), steps.get(l), from, n);
              }
            }
          });
      return new Scores(units, steps);
    }
  }

  /** Values per example of a batch's scores {@code [N, ...]}. */
  private static int perExample(Operand<TFloat32> scores) {
    long[] dims = scores.shape().asArray();
    int n = 1;
    for (int d = 1; d < dims.length; d++) {
      n *= (int) dims[d];
    }
    return n;
  }

  /** A chunk's {@code n} examples into {@code into}, from example {@code from} on. */
  private static void copy(Tensor chunk, float[] into, int from, int n) {
    float[] values = Tensors.toArray((TFloat32) chunk);
    System.arraycopy(values, 0, into, from * (values.length / n), values.length);
  }
}
