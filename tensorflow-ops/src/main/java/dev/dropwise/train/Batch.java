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

  /**
   * Reusable staging arrays, so that a training loop allocates no Java arrays per step (a long run
   * would otherwise churn gigabytes through the heap and make the JVM grow it).
   */
  static final class Staging {
    private float[] x = new float[0];
    private int[] y = new int[0];
  }

  Batch(Dataset data, int[] order, int from, int to, Staging staging) {
    size = to - from;
    int f = data.featureCount();
    if (staging.x.length < size * f) {
      staging.x = new float[size * f];
      staging.y = new int[size];
    }
    for (int i = 0; i < size; i++) {
      int example = order == null ? from + i : order[from + i];
      System.arraycopy(data.features(), example * f, staging.x, i * f, f);
      staging.y[i] = data.labels()[example];
    }
    features = TFloat32.tensorOf(Shape.of(size, f));
    features.copyFrom(DataBuffers.of(staging.x, true, false).narrow((long) size * f));
    labels = TInt32.tensorOf(Shape.of(size));
    labels.copyFrom(DataBuffers.of(staging.y, true, false).narrow(size));
  }

  @Override
  public void close() {
    features.close();
    labels.close();
  }
}
