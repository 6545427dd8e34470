package dev.dropwise.ops;

import java.util.Arrays;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** A graph around one dropout op: feed x, training and step; fetch the output and d(sum out)/dx. */
final class DropoutOpHarness implements AutoCloseable {
  interface OpUnderTest {
    Operand<TFloat32> build(
        DropoutOps ops, Operand<TFloat32> x, Operand<TBool> training, Operand<TInt64> seed);
  }

  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TBool> training;
  private final Placeholder<TInt64> step;
  private final Operand<TFloat32> out;
  private final Output<?> gradient;
  final int width;

  DropoutOpHarness(int width, long runSeed, OpUnderTest op) {
    this.width = width;
    Ops tf = Ops.create(graph);
    x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, width)));
    training = tf.placeholder(TBool.class, Placeholder.shape(Shape.scalar()));
    step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    DropoutOps ops = DropoutOps.create(tf);
    out = op.build(ops, x, training, ops.seed(runSeed, 0, step));
    gradient =
        graph
            .addGradients(
                tf.reduceSum(out, tf.constant(new int[] {0, 1})).asOutput(),
                new Output<?>[] {x.asOutput()})[0];
    session = new Session(graph);
  }

  /** The op's output for input {@code input} ({@code rows x width}). */
  float[] run(float[] input, int rows, boolean train, long stepValue) {
    return fetch(input, rows, train, stepValue, out.asOutput());
  }

  float[] gradient(float[] input, int rows, boolean train, long stepValue) {
    return fetch(input, rows, train, stepValue, gradient);
  }

  private float[] fetch(float[] input, int rows, boolean train, long stepValue, Output<?> what) {
    try (TFloat32 xs =
            TFloat32.tensorOf(Shape.of(rows, width), DataBuffers.of(input, true, false));
        TBool t = TBool.scalarOf(train);
        TInt64 s = TInt64.scalarOf(stepValue);
        Result r = session.runner().feed(x, xs).feed(training, t).feed(step, s).fetch(what).run()) {
      TFloat32 result = (TFloat32) r.get(0);
      float[] values = new float[(int) result.size()];
      result.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  static float[] ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return a;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
