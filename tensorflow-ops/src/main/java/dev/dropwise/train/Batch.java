package dev.dropwise.train;

import dev.dropwise.data.Dataset;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The examples {@code order[from..to)} of a dataset as input tensors; close it after the step. */
final class Batch implements AutoCloseable {
  final TFloat32 features;
  final TInt32 labels;
  final int size;

  Batch(Dataset data, int[] order, int from, int to) {
    size = to - from;
    int f = data.featureCount();
    float[] x = new float[size * f];
    int[] y = new int[size];
    for (int i = 0; i < size; i++) {
      int example = order == null ? from + i : order[from + i];
      System.arraycopy(data.features(), example * f, x, i * f, f);
      y[i] = data.labels()[example];
    }
    features = TFloat32.tensorOf(Shape.of(size, f), DataBuffers.of(x, true, false));
    labels = TInt32.tensorOf(Shape.of(size), DataBuffers.of(y, true, false));
  }

  @Override
  public void close() {
    features.close();
    labels.close();
  }
}
