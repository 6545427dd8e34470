package dev.dropwise.util;

import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Copies out of TF tensors. */
public final class Tensors {
  private Tensors() {}

  /** All of {@code t}'s values, row-major. */
  public static float[] toArray(TFloat32 t) {
    float[] out = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** All of {@code t}'s values, row-major. */
  public static int[] toIntArray(TInt32 t) {
    int[] out = new int[(int) t.size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
