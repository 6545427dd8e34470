package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.importance.ImportanceOps;
import dev.dropwise.importance.InputAttribution;
import dev.dropwise.importance.InputSpace;
import dev.dropwise.importance.Target;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Network;
import dev.dropwise.util.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The relevance of every input feature (pixel) of a trained model on given examples, one row per
 * example, computed in chunks so that the batches of integrated gradients and SmoothGrad stay
 * small.
 */
public final class InputExplainer {
  private static final int CHUNK = 64;

  private InputExplainer() {}

  /**
   * What explanations know of a model's inputs, in its network's input space: inputs scaled into
   * [0, 1] keep those bounds; otherwise each feature spans what it spans in {@code train} (the
   * training split, preprocessed). The baseline is zero there: black pixels after unit scaling, the
   * training mean after standardising.
   */
  public static InputSpace spaceOf(Preprocessing preprocessing, Dataset train) {
    return preprocessing.scale() == Preprocessing.Scale.UNIT
        ? InputSpace.unit()
        : InputSpace.spanning(train);
  }

  /**
   * Relevance {@code [data.size() * features]}, row-major, of the model {@code spec} (its dropout
   * layers play no part) whose variables hold {@code values.apply(name)}, for the class {@code
   * explained} says; {@code data} is in the network's input space (preprocessed).
   */
  public static float[] explain(
      ModelSpec spec,
      Function<String, float[]> values,
      InputAttribution attribution,
      InputSpace space,
      Dataset data,
      ExplainedClass explained) {
    int features = data.featureCount();
    checkLength("the baseline", space.baseline().length, features);
    checkLength("the input bounds", space.low().length, features);
    try (InferenceGraph model = new InferenceGraph(spec)) {
      Network network = model.network();
      Operand<TInt32> classes =
          ImportanceOps.create(model.tf())
              .targetClass(
                  network.forward(model.tf(), model.input()),
                  explained.predicted() ? Target.PREDICTED : Target.LABEL,
                  model.labels());
      Operand<TFloat32> relevance =
          attribution.relevance(model.tf(), network, model.input(), classes, space);
      float[] out = new float[data.size() * features];
      model.start(values);
      model.forEachChunk(
          explained.labelled(data),
          CHUNK,
          List.of(relevance),
          (from, n, r) -> {
            float[] chunk = Tensors.toArray((TFloat32) r.get(0));
            System.arraycopy(chunk, 0, out, from * features, chunk.length);
          });
      return out;
    }
  }

  /**
   * The class {@code explained} says for each example of {@code data} (the network's input space):
   * its predicted class, its label, or the one class.
   */
  public static int[] classes(
      ModelSpec spec, Function<String, float[]> values, Dataset data, ExplainedClass explained) {
    if (!explained.predicted()) {
      return explained.labelled(data).labels().clone();
    }
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
          (from, n, r) -> System.arraycopy(Tensors.toIntArray((TInt32) r.get(0)), 0, out, from, n));
    }
    return out;
  }

  /**
   * A caption per example for charts: {@code #1 Shirt}, its label's name, and where the class
   * explained is another, that one after an arrow: {@code #2 Shirt → Coat}.
   */
  public static List<String> captions(int[] labels, int[] explained, List<String> classNames) {
    List<String> out = new ArrayList<>();
    for (int e = 0; e < labels.length; e++) {
      String label = classNames.get(labels[e]);
      out.add(
          "#"
              + (e + 1)
              + " "
              + label
              + (explained[e] == labels[e] ? "" : " → " + classNames.get(explained[e])));
    }
    return out;
  }

  private static void checkLength(String what, int length, int features) {
    if (length != 1 && length != features) {
      throw new IllegalArgumentException(
          what
              + " has "
              + length
              + " values; the model takes "
              + features
              + " features (or give 1)");
    }
  }
}
