package dev.dropwise.importance;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.Network;
import dev.dropwise.model.DenseWeights;
import dev.dropwise.util.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Importance of a trained model's hidden units on given examples: one {@code examples × units}
 * matrix per hidden layer, computed in chunks so that conductance's interpolation batches stay small.
 */
public final class Explainer {
  private static final int CHUNK = 256;

  private Explainer() {}

  /** Scores per hidden layer, each flattened row-major {@code [data.size() * units]}. */
  public static List<float[]> explain(List<DenseWeights> weights, ImportanceSpec spec, Dataset data) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Network network = Network.dense(tf, weights);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, data.featureCount())));
      Placeholder<TInt32> labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      List<Operand<TFloat32>> scores = spec.scores(tf, network, x, labels);
      List<float[]> out = new ArrayList<>();
      for (int l = 0; l < network.hiddenCount(); l++) {
        out.add(new float[data.size() * network.units(l)]);
      }
      try (Session session = new Session(graph)) {
        for (int from = 0; from < data.size(); from += CHUNK) {
          int n = Math.min(CHUNK, data.size() - from);
          float[] features = new float[n * data.featureCount()];
          System.arraycopy(data.features(), from * data.featureCount(), features, 0, features.length);
          int[] y = java.util.Arrays.copyOfRange(data.labels(), from, from + n);
          try (TFloat32 xs = TFloat32.tensorOf(Shape.of(n, data.featureCount()), DataBuffers.of(features, true, false));
              TInt32 ys = TInt32.tensorOf(Shape.of(n), DataBuffers.of(y, true, false))) {
            Session.Runner runner = session.runner().feed(x, xs).feed(labels, ys);
            scores.forEach(runner::fetch);
            try (Result r = runner.run()) {
              for (int l = 0; l < scores.size(); l++) {
                int units = network.units(l);
                float[] chunk = Tensors.toArray((TFloat32) r.get(l));
                System.arraycopy(chunk, 0, out.get(l), from * units, chunk.length);
              }
            }
          }
        }
      }
      return out;
    }
  }
}
