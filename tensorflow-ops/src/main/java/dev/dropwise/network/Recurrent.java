package dev.dropwise.network;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A recurrent layer over a sequence {@code [N, T, F]}: {@code cell} run over the T steps from a
 * zero state, returning the last output {@code [N, U]} or, with {@code sequences}, every step's
 * {@code [N, T, U]} (for another recurrent layer after it). The steps are unrolled statically (T is
 * known when the graph is built): TensorFlow Java's gradients, which come from TensorFlow's C++
 * gradient registry, have none for the functional While loop, so an unrolled graph is the one that
 * trains.
 */
public record Recurrent(
    RecurrentCell cell,
    Operand<TFloat32> kernel,
    Operand<TFloat32> recurrentKernel,
    Operand<TFloat32> bias,
    boolean sequences)
    implements Network.Layer {

  /** The hidden units U. */
  public int units() {
    return (int) recurrentKernel.shape().get(0);
  }

  /** Every step's output {@code h_t} ({@code [N, U]} each) and what the layer returns. */
  public record Unrolled(List<Operand<TFloat32>> steps, Operand<TFloat32> output) {}

  @Override
  public Operand<TFloat32> forward(Ops tf, Operand<TFloat32> a) {
    return unroll(tf, a, StepDropout.NONE).output();
  }

  /** The layer over {@code a [N, T, F]}, with {@code dropout} inside the steps. */
  public Unrolled unroll(Ops tf, Operand<TFloat32> a, StepDropout dropout) {
    int steps = (int) a.shape().get(1);
    int features = (int) a.shape().get(2);
    int width = cell.gates() * units();
    // The input projection of all steps in one product: [N*T, F] x [F, G*U].
    Operand<TFloat32> x = dropout.input(tf, a);
    Operand<TFloat32> projected =
        tf.math.add(
            tf.linalg.matMul(tf.reshape(x, tf.constant(new int[] {-1, features})), kernel),
            cell.inputBias(tf, bias));
    List<Output<TFloat32>> inputs =
        tf.unstack(
                tf.reshape(projected, tf.constant(new int[] {-1, steps, width})),
                (long) steps,
                Unstack.axis(1L))
            .output();
    Operand<TFloat32> zero = zeroState(tf, a);
    RecurrentCell.State state =
        new RecurrentCell.State(zero, cell == RecurrentCell.LSTM ? zero : null);
    Operand<TFloat32> recurrentBias = cell.recurrentBias(tf, bias);
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      Ops step = tf.withSubScope("step_" + t);
      Operand<TFloat32> r = step.linalg.matMul(dropout.recurrent(step, state.h()), recurrentKernel);
      if (recurrentBias != null) {
        r = step.math.add(r, recurrentBias);
      }
      state = dropout.carry(step, state, cell.step(step, inputs.get(t), r, state));
      outputs.add(state.h());
    }
    Operand<TFloat32> output =
        sequences ? tf.stack(outputs, Stack.axis(1L)) : outputs.get(outputs.size() - 1);
    return new Unrolled(List.copyOf(outputs), output);
  }

  /** Zeros {@code [N, U]} for a batch {@code a} of N sequences. */
  private Operand<TFloat32> zeroState(Ops tf, Operand<TFloat32> a) {
    Operand<TInt32> n = tf.gather(tf.shape(a), tf.constant(0), tf.constant(0));
    return tf.fill(tf.stack(List.of(n, tf.constant(units()))), tf.constant(0f));
  }
}
