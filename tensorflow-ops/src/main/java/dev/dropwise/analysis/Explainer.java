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
    try (InferenceGraph model = new InferenceGraph(spec)) {
      Network network = model.network();
      ImportanceOps ops = ImportanceOps.create(model.tf());
      List<Operand<TFloat32>> scores =
          measure.scores(model.tf(), network, model.input(), model.labels()).stream()
              .map(ops::channelTotals)
              .toList();
      List<float[]> out = new ArrayList<>();
      for (int l = 0; l < network.hiddenCount(); l++) {
        out.add(new float[data.size() * network.units(l)]);
      }
      model.start(values);
      model.forEachChunk(
          data,
          CHUNK,
          scores,
          (from, n, r) -> {
            for (int l = 0; l < scores.size(); l++) {
              float[] chunk = Tensors.toArray((TFloat32) r.get(l));
              System.arraycopy(chunk, 0, out.get(l), from * network.units(l), chunk.length);
            }
          });
      return out;
    }
  }
}
