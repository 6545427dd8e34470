package dev.dropwise.export;

import dev.dropwise.model.ServingGraph;
import dev.dropwise.util.Tensors;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntConsumer;
import org.tensorflow.Result;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Monte Carlo passes through an export's signatures, accumulated pass by pass ({@link
 * MonteCarlo.Accumulator}): one pass per session call, or {@link ServingGraph#MC_PASSES} per call,
 * which give the same passes.
 */
final class MonteCarloPasses {
  private MonteCarloPasses() {}

  /** One session call per pass, through {@code mc_dropout}, seeds 0 to {@code samples − 1}. */
  static MonteCarlo oneAtATime(
      SessionFunction mc,
      float[] features,
      int count,
      int inputs,
      int samples,
      IntConsumer progress) {
    MonteCarlo.Accumulator passes = null;
    try (TFloat32 x =
        TFloat32.tensorOf(Shape.of(count, inputs), DataBuffers.of(features, true, false))) {
      for (int s = 0; s < samples; s++) {
        try (TInt64 seed = TInt64.scalarOf(s);
            Result r = mc.call(Map.of(ServingGraph.INPUT, x, "seed", seed))) {
          TFloat32 p = (TFloat32) r.get(ServingGraph.PROBABILITIES).orElseThrow();
          if (passes == null) {
            passes = new MonteCarlo.Accumulator(count, (int) p.shape().get(1));
          }
          passes.add(Tensors.toArray(p));
        }
        progress.accept(s + 1);
      }
    }
    return passes.result();
  }

  /**
   * {@link ServingGraph#MC_PASSES} passes per call, through {@code mc_dropout_passes}, seeds 0 to
   * {@code samples − 1}; the last call's surplus passes unused.
   */
  static MonteCarlo inBatches(
      SessionFunction mc,
      float[] features,
      int count,
      int inputs,
      int samples,
      IntConsumer progress) {
    MonteCarlo.Accumulator passes = null;
    try (TFloat32 x =
        TFloat32.tensorOf(Shape.of(count, inputs), DataBuffers.of(features, true, false))) {
      for (int first = 0; first < samples; first += ServingGraph.MC_PASSES) {
        try (TInt64 seed = TInt64.scalarOf(first);
            Result r = mc.call(Map.of(ServingGraph.INPUT, x, "seed", seed))) {
          TFloat32 p = (TFloat32) r.get(ServingGraph.PROBABILITIES).orElseThrow();
          int classes = (int) p.shape().get(2);
          if (passes == null) {
            passes = new MonteCarlo.Accumulator(count, classes);
          }
          float[] all = Tensors.toArray(p);
          int used = Math.min(ServingGraph.MC_PASSES, samples - first);
          for (int k = 0; k < used; k++) {
            passes.add(Arrays.copyOfRange(all, k * count * classes, (k + 1) * count * classes));
          }
          progress.accept(first + used);
        }
      }
    }
    return passes.result();
  }
}
