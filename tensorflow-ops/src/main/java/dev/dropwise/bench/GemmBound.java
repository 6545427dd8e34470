package dev.dropwise.bench;

import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.train.ModelSession;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * The matrix products of one training step and nothing else: per Dense layer the forward product
 * {@code x W}, the weight gradient {@code xᵀ dy} and (above the first layer) the input gradient
 * {@code dy Wᵀ}; per Conv2D layer the convolution and its two backward convolutions; per recurrent
 * layer the same for its input's projection and, at every step, for its recurrent product. The same
 * shapes through TensorFlow's same kernels, on operands that live in the graph (no feed; one scalar
 * fetched): the time a step cannot go below, whatever dropout does.
 */
final class GemmBound implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Operand<TFloat32> products;
  private final double flops;

  GemmBound(ModelSpec spec, int batch, int threads) {
    Ops tf = Ops.create(graph);
    List<Operand<TFloat32>> all = new ArrayList<>();
    double count = 0;
    boolean first = true;
    for (int i = 0; i < spec.layers().size(); i++) {
      LayerSpec layer = spec.layers().get(i);
      FeatureShape in = spec.inputShape(i);
      FeatureShape out = spec.outputShapes().get(i);
      if (layer instanceof LayerSpec.Dense d) {
        Operand<TFloat32> x = random(tf, batch, in.size());
        Operand<TFloat32> w = random(tf, in.size(), d.units());
        Operand<TFloat32> dy = random(tf, batch, d.units());
        all.add(tf.linalg.matMul(x, w));
        all.add(tf.linalg.matMul(x, dy, MatMul.transposeA(true)));
        count += 2 * 2.0 * batch * in.size() * d.units();
        if (!first) {
          all.add(tf.linalg.matMul(dy, w, MatMul.transposeB(true)));
          count += 2.0 * batch * in.size() * d.units();
        }
        first = false;
      } else if (layer instanceof LayerSpec.Recurrent r) {
        count += recurrent(tf, all, r, in, batch, first);
        first = false;
      } else if (layer instanceof LayerSpec.Conv2D c) {
        List<Long> strides = List.of(1L, (long) c.stride(), (long) c.stride(), 1L);
        Operand<TFloat32> x = random(tf, batch, in.height(), in.width(), in.channels());
        Operand<TFloat32> w = random(tf, c.size(), c.size(), in.channels(), c.filters());
        Operand<TFloat32> dy = random(tf, batch, out.height(), out.width(), c.filters());
        all.add(tf.nn.conv2d(x, w, strides, "SAME"));
        all.add(
            tf.nn.conv2dBackpropFilter(
                x,
                tf.constant(new int[] {c.size(), c.size(), in.channels(), c.filters()}),
                dy,
                strides,
                "SAME"));
        double one =
            2.0
                * batch
                * out.height()
                * out.width()
                * c.size()
                * c.size()
                * in.channels()
                * c.filters();
        count += 2 * one;
        if (!first) {
          all.add(
              tf.nn.conv2dBackpropInput(
                  tf.constant(new int[] {batch, in.height(), in.width(), in.channels()}),
                  w,
                  dy,
                  strides,
                  "SAME"));
          count += one;
        }
        first = false;
      }
    }
    // One scalar fetched from every product (a sum each: a few microseconds against the products'
    // milliseconds), so that TensorFlow cannot prune a product no one reads.
    List<Operand<TFloat32>> sums = new ArrayList<>();
    for (Operand<TFloat32> p : all) {
      sums.add(tf.reduceSum(p, tf.range(tf.constant(0), tf.rank(p), tf.constant(1))));
    }
    products = tf.math.addN(sums);
    flops = count;
    session = ModelSession.open(graph, threads);
  }

  /**
   * A recurrent layer's products: the input's projection of all steps in one product and its weight
   * gradient (and input gradient above the first layer), and at every step the recurrent product,
   * its weight gradient and the gradient to the previous output — one small product each, in
   * sequence as the unrolled step runs them. Returns their floating-point operations.
   */
  private static double recurrent(
      Ops tf,
      List<Operand<TFloat32>> all,
      LayerSpec.Recurrent r,
      FeatureShape in,
      int batch,
      boolean first) {
    int steps = in.steps();
    int width = r.cell().gates() * r.units();
    long rows = (long) batch * steps;
    Operand<TFloat32> x = random(tf, rows, in.channels());
    Operand<TFloat32> w = random(tf, in.channels(), width);
    Operand<TFloat32> dz = random(tf, rows, width);
    all.add(tf.linalg.matMul(x, w));
    all.add(tf.linalg.matMul(x, dz, MatMul.transposeA(true)));
    double count = 2 * 2.0 * rows * in.channels() * width;
    if (!first) {
      all.add(tf.linalg.matMul(dz, w, MatMul.transposeB(true)));
      count += 2.0 * rows * in.channels() * width;
    }
    Operand<TFloat32> recurrent = random(tf, r.units(), width);
    for (int t = 0; t < steps; t++) {
      // Operands of their own at every step: products of the same operands would be merged.
      Operand<TFloat32> h = random(tf, batch, r.units());
      Operand<TFloat32> dStep = random(tf, batch, width);
      all.add(tf.linalg.matMul(h, recurrent));
      all.add(tf.linalg.matMul(h, dStep, MatMul.transposeA(true)));
      all.add(tf.linalg.matMul(dStep, recurrent, MatMul.transposeB(true)));
    }
    return count + 3 * 2.0 * steps * batch * r.units() * width;
  }

  /** A variable of {@code dims} filled once with uniform noise: an operand TF cannot fold away. */
  private static Variable<TFloat32> random(Ops tf, long... dims) {
    return tf.variable(
        tf.random.statelessRandomUniform(
            tf.constant(dims), tf.constant(new long[] {1, 2}), TFloat32.class));
  }

  /** Milliseconds for one run of every product. */
  double timeOnce() {
    long t0 = System.nanoTime();
    session.runner().fetch(products).run().close();
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Floating-point operations of one step's products (a multiply-add counts two). */
  double flops() {
    return flops;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
