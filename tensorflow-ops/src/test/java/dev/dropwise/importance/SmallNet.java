package dev.dropwise.importance;

import dev.dropwise.network.Activation;
import dev.dropwise.network.DenseWeights;
import dev.dropwise.network.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A small ReLU MLP with known weights, kept both as Java arrays (for references computed in the
 * test) and as graph constants (for the ops under test).
 */
final class SmallNet {
  final int[] widths;
  final double[][][] w; // w[layer][in][out]
  final double[][] b; // b[layer][out]
  final double[][] x; // inputs [example][feature]

  SmallNet(long seed, boolean withBias, int examples, int... widths) {
    this.widths = widths;
    Random r = new Random(seed);
    int layers = widths.length - 1;
    w = new double[layers][][];
    b = new double[layers][];
    for (int l = 0; l < layers; l++) {
      w[l] = new double[widths[l]][widths[l + 1]];
      b[l] = new double[widths[l + 1]];
      for (int i = 0; i < widths[l]; i++) {
        for (int j = 0; j < widths[l + 1]; j++) {
          w[l][i][j] = (float) (r.nextGaussian() * Math.sqrt(2.0 / widths[l]) + 0.1);
        }
      }
      for (int j = 0; j < widths[l + 1]; j++) {
        b[l][j] = withBias ? (float) (0.1 * r.nextGaussian()) : 0;
      }
    }
    x = new double[examples][widths[0]];
    for (double[] row : x) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) r.nextDouble();
      }
    }
  }

  int layers() {
    return widths.length - 1;
  }

  /** Activations of every layer for one input (index 0 = the input, last = logits). */
  double[][] forward(double[] input) {
    double[][] a = new double[widths.length][];
    a[0] = input;
    for (int l = 0; l < layers(); l++) {
      a[l + 1] = new double[widths[l + 1]];
      for (int j = 0; j < widths[l + 1]; j++) {
        double z = b[l][j];
        for (int i = 0; i < widths[l]; i++) {
          z += a[l][i] * w[l][i][j];
        }
        a[l + 1][j] = l == layers() - 1 ? z : Math.max(0, z);
      }
    }
    return a;
  }

  /** Logits from hidden layer {@code hidden} (1-based index into forward()) onwards. */
  double[] logitsFrom(int hidden, double[] a) {
    double[] h = a;
    for (int l = hidden; l < layers(); l++) {
      double[] next = new double[widths[l + 1]];
      for (int j = 0; j < next.length; j++) {
        double z = b[l][j];
        for (int i = 0; i < h.length; i++) {
          z += h[i] * w[l][i][j];
        }
        next[j] = l == layers() - 1 ? z : Math.max(0, z);
      }
      h = next;
    }
    return h;
  }

  int argMax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  Network stack(Ops tf) {
    List<DenseWeights> layers = new ArrayList<>();
    for (int l = 0; l < layers(); l++) {
      float[][] wf = new float[widths[l]][widths[l + 1]];
      for (int i = 0; i < widths[l]; i++) {
        for (int j = 0; j < widths[l + 1]; j++) {
          wf[i][j] = (float) w[l][i][j];
        }
      }
      float[] bf = new float[widths[l + 1]];
      for (int j = 0; j < bf.length; j++) {
        bf[j] = (float) b[l][j];
      }
      layers.add(new DenseWeights(wf, bf, l == layers() - 1 ? Activation.LINEAR : Activation.RELU));
    }
    return Network.dense(tf, layers);
  }

  Operand<TFloat32> input(Ops tf) {
    float[][] xf = new float[x.length][widths[0]];
    for (int e = 0; e < x.length; e++) {
      for (int i = 0; i < widths[0]; i++) {
        xf[e][i] = (float) x[e][i];
      }
    }
    return tf.constant(xf);
  }

  /** Builds the ops with {@code build} and returns each fetched tensor as [rows][cols]. */
  static List<float[][]> evaluate(Function<Ops, List<Operand<TFloat32>>> build) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> outs = build.apply(tf);
      try (Session s = new Session(g)) {
        Session.Runner runner = s.runner();
        outs.forEach(runner::fetch);
        try (Result r = runner.run()) {
          List<float[][]> values = new ArrayList<>();
          for (int i = 0; i < outs.size(); i++) {
            TFloat32 t = (TFloat32) r.get(i);
            Shape shape = t.shape();
            int rows = shape.numDimensions() == 1 ? 1 : (int) shape.get(0);
            int cols = (int) shape.get(shape.numDimensions() - 1);
            float[] flat = new float[rows * cols];
            t.copyTo(DataBuffers.of(flat, false, false));
            float[][] m = new float[rows][cols];
            for (int row = 0; row < rows; row++) {
              System.arraycopy(flat, row * cols, m[row], 0, cols);
            }
            values.add(m);
          }
          return values;
        }
      }
    }
  }
}
