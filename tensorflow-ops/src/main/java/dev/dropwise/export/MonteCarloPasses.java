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
   * ServingGraph#MC_PASSES} through {@code mc_dropout_passes} or {@code mc_dropout_shared_passes}
   * ({@code [passes, N, classes]}, pass k seeded {@code seed + k}); the last call's surplus passes
   * unused. {@code oneExampleACall}: each example goes through alone, so that every example of a
   * pass gets the masks of that pass's seed (shared masks from a signature that draws them per
   * example).
   */
  static MonteCarlo run(
      SessionFunction mc,
      int perCall,
      float[] features,
      int count,
      int inputs,
      int samples,
      boolean oneExampleACall,
      IntConsumer progress) {
    if (count == 0) {
      return new MonteCarlo.Accumulator(0, 0).result();
    }
    MonteCarlo.Accumulator passes = null;
    int rows = oneExampleACall ? 1 : count;
    for (int first = 0; first < samples; first += perCall) {
      int used = Math.min(perCall, samples - first);
      float[][] pass = null;
      int classes = 0;
      for (int from = 0; from < count; from += rows) {
        float[] all = call(mc, features, from, rows, inputs, first);
        classes = all.length / perCall / rows;
        if (pass == null) {
          pass = new float[used][count * classes];
        }
        for (int k = 0; k < used; k++) {
          System.arraycopy(all, k * rows * classes, pass[k], from * classes, rows * classes);
        }
      }
      if (passes == null) {
        passes = new MonteCarlo.Accumulator(count, classes);
      }
      for (float[] p : pass) {
        passes.add(p);
      }
      progress.accept(first + used);
    }
    return passes.result();
  }

  /**
   * The probabilities of examples {@code from} to {@code from + rows} of one call at {@code seed}.
   */
  private static float[] call(
      SessionFunction mc, float[] features, int from, int rows, int inputs, long seed) {
    float[] part =
        from == 0 && rows * inputs == features.length
            ? features
            : Arrays.copyOfRange(features, from * inputs, (from + rows) * inputs);
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(rows, inputs), DataBuffers.of(part, true, false));
        TInt64 s = TInt64.scalarOf(seed);
        Result r = mc.call(Map.of(ServingGraph.INPUT, x, "seed", s))) {
      return Tensors.toArray((TFloat32) r.get(ServingGraph.PROBABILITIES).orElseThrow());
    }
  }
}
