package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.ServingGraph;
import dev.dropwise.network.Network;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
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
 * The one inference harness of the analyses: a trained model's clean network (no dropout) in a
 * graph of its own, with an input and a labels placeholder. An analysis adds the ops it needs, then
 * {@link #start}s a session holding the model's weights.
 */
final class InferenceGraph implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Ops tf;
  private final ServingGraph model;
  private final Placeholder<TInt32> labels;
  private Session session;

  InferenceGraph(ModelSpec spec) {
    try {
      tf = Ops.create(graph);
      model = ServingGraph.withoutMonteCarlo(tf, spec.withoutDropout());
      labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  Ops tf() {
    return tf;
  }

  Network network() {
    return model.weights().network();
  }

  /** The examples, {@code [N, features]}. */
  Placeholder<TFloat32> input() {
    return model.input();
  }

  /** Their labels, {@code [N]}. */
  Placeholder<TInt32> labels() {
    return labels;
  }

  /** A session over the graph as built so far, its variables set to {@code values.apply(name)}. */
  Session start(Function<String, float[]> values) {
    session = new Session(graph);
    model.weights().assign(session, values);
    return session;
  }

  /** What a chunk's run hands back: its first example's index, its size and the fetched values. */
  interface ChunkResult {
    void accept(int from, int size, Result result);
  }

  /**
   * Runs {@code fetches} over {@code data} in chunks of at most {@code chunk} examples (so that a
   * measure's batches of interpolation points stay small), feeding each chunk's examples and
   * labels, on the session {@link #start} made.
   */
  void forEachChunk(Dataset data, int chunk, List<? extends Operand<?>> fetches, ChunkResult use) {
    int f = data.featureCount();
    for (int from = 0; from < data.size(); from += chunk) {
      int n = Math.min(chunk, data.size() - from);
      float[] features = Arrays.copyOfRange(data.features(), from * f, (from + n) * f);
      int[] y = Arrays.copyOfRange(data.labels(), from, from + n);
      try (TFloat32 xs = TFloat32.tensorOf(Shape.of(n, f), DataBuffers.of(features, true, false));
          TInt32 ys = TInt32.tensorOf(Shape.of(n), DataBuffers.of(y, true, false))) {
        Session.Runner runner = session.runner().feed(input(), xs).feed(labels, ys);
        fetches.forEach(runner::fetch);
        try (Result r = runner.run()) {
          use.accept(from, n, r);
        }
      }
    }
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
