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
 * {@code [N, T, U]} (for another recurrent layer after it). With {@code zoneout} p each step's new
 * state is mixed with the previous one, {@code p·previous + (1 − p)·new}, as zoneout's expectation
 * (a training pass draws it instead: {@link StepDropout#zoneout}). The steps are unrolled
 * statically (T is known when the graph is built): TensorFlow Java's gradients come from
 * TensorFlow's C++ gradient registry, which has none for the functional loop ({@code tf.whileOp}
 * builds a StatelessWhile, and {@code tf.gradients} through it fails with "No gradient defined for
 * op: StatelessWhile"), so an unrolled graph is the one that trains.
 */
public record Recurrent(
    RecurrentCell cell,
    Operand<TFloat32> kernel,
    Operand<TFloat32> recurrentKernel,
    Operand<TFloat32> bias,
    boolean sequences,
    float zoneout)
    implements Network.Layer {

  /** A layer without zoneout. */
  public Recurrent(
      RecurrentCell cell,
      Operand<TFloat32> kernel,
      Operand<TFloat32> recurrentKernel,
      Operand<TFloat32> bias,
      boolean sequences) {
    this(cell, kernel, recurrentKernel, bias, sequences, 0f);
  }

  /** The hidden units U. */
  public int units() {
    return (int) recurrentKernel.shape().get(0);
  }

  /**
   * Every step's output {@code h_t} ({@code [N, U]} each), what the layer returns, (from {@link
   * #unrollProbed}) the outputs over time with their probe, and each step's cell values.
   */
  public record Unrolled(
      List<Operand<TFloat32>> steps,
      Operand<TFloat32> output,
      OverTime overTime,
      List<RecurrentCell.Step> cells) {}

  /**
   * A layer's outputs at every step {@code [N, T, U]}, and a probe of zeros of that shape added to
   * each step's output where the next step and the layer's output take it: the gradient of anything
   * downstream with respect to the probe is its gradient with respect to every {@code h_t} —
   * through the later steps as well, which a gradient with respect to the stacked outputs would
   * miss.
   */
  public record OverTime(Operand<TFloat32> outputs, Operand<TFloat32> probe) {}

  @Override
  public Operand<TFloat32> forward(Ops tf, Operand<TFloat32> a) {
    return unroll(tf, a, StepDropout.NONE, null).output();
  }

  /**
   * The clean layer over {@code a [N, T, F]} with a probe on every step's output ({@link
   * OverTime}).
   */
  public Unrolled unrollProbed(Ops tf, Operand<TFloat32> a) {
    Operand<TInt32> n = tf.gather(tf.shape(a), tf.constant(0), tf.constant(0));
    int steps = (int) a.shape().get(1);
    Operand<TFloat32> probe =
        tf.withName("probe")
            .fill(tf.stack(List.of(n, tf.constant(steps), tf.constant(units()))), tf.constant(0f));
    return unroll(tf, a, StepDropout.NONE, probe);
  }

  /**
   * The layer over {@code a [N, T, F]}, with {@code dropout} inside the steps and {@code probe}
   * ({@code [N, T, U]}, null for none) added to each step's output.
   */
  public Unrolled unroll(
      Ops tf, Operand<TFloat32> a, StepDropout dropout, Operand<TFloat32> probe) {
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
    List<Output<TFloat32>> probes =
        probe == null ? null : tf.unstack(probe, (long) steps, Unstack.axis(1L)).output();
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    List<RecurrentCell.Step> cells = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      Ops step = tf.withSubScope("step_" + t);
      Operand<TFloat32> r = step.linalg.matMul(dropout.recurrent(step, state.h()), recurrentKernel);
      if (recurrentBias != null) {
        r = step.math.add(r, recurrentBias);
      }
      RecurrentCell.Step values = cell.step(step, inputs.get(t), r, state);
      cells.add(values);
      RecurrentCell.State next = values.state();
      state = zoneout > 0 ? dropout.zoneout(step, state, next, zoneout) : next;
      if (probe != null) {
        state = new RecurrentCell.State(step.math.add(state.h(), probes.get(t)), state.c());
      }
      outputs.add(state.h());
    }
    Operand<TFloat32> stacked =
        sequences || probe != null ? tf.stack(outputs, Stack.axis(1L)) : null;
    Operand<TFloat32> output = sequences ? stacked : outputs.get(outputs.size() - 1);
    OverTime overTime = probe == null ? null : new OverTime(stacked, probe);
    return new Unrolled(List.copyOf(outputs), output, overTime, List.copyOf(cells));
  }

  /** Zeros {@code [N, U]} for a batch {@code a} of N sequences. */
  private Operand<TFloat32> zeroState(Ops tf, Operand<TFloat32> a) {
    Operand<TInt32> n = tf.gather(tf.shape(a), tf.constant(0), tf.constant(0));
    return tf.fill(tf.stack(List.of(n, tf.constant(units()))), tf.constant(0f));
  }
}
