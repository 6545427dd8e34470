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

  /**
   * {@code samples} passes, seeds 0 to {@code samples − 1}, {@code perCall} of them per call of
   * {@code mc}: 1 through {@code mc_dropout} (probabilities {@code [N, classes]}), {@link
   * ServingGraph#MC_PASSES} through {@code mc_dropout_passes} ({@code [passes, N, classes]}, pass k
   * seeded {@code seed + k}); the last call's surplus passes unused.
   */
  static MonteCarlo run(
      SessionFunction mc,
      int perCall,
      float[] features,
      int count,
      int inputs,
      int samples,
      IntConsumer progress) {
    MonteCarlo.Accumulator passes = null;
    try (TFloat32 x =
        TFloat32.tensorOf(Shape.of(count, inputs), DataBuffers.of(features, true, false))) {
      for (int first = 0; first < samples; first += perCall) {
        try (TInt64 seed = TInt64.scalarOf(first);
            Result r = mc.call(Map.of(ServingGraph.INPUT, x, "seed", seed))) {
          TFloat32 p = (TFloat32) r.get(ServingGraph.PROBABILITIES).orElseThrow();
          int classes = (int) p.shape().get(p.shape().numDimensions() - 1);
          if (passes == null) {
            passes = new MonteCarlo.Accumulator(count, classes);
          }
          float[] all = Tensors.toArray(p);
          int used = Math.min(perCall, samples - first);
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
