package dev.dropwise.network;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TFloat32;

/**
 * The recurrent cells, in Keras's gate layout and defaults so that weights carry over: sigmoid
 * gates, tanh for the candidate and the output. The kernel {@code [F, G·U]} and recurrent kernel
 * {@code [U, G·U]} hold the G gates side by side.
 *
 * <ul>
 *   <li>LSTM, gates (i, f, c, o), bias {@code [4U]}: {@code z = x W + h R + b}, {@code c' = σ(z_f)
 *       c + σ(z_i) tanh(z_c)}, {@code h' = σ(z_o) tanh(c')}.
 *   <li>GRU, gates (z, r, h), Keras's {@code reset_after=True} (TensorFlow 2's default, the cuDNN
 *       form), bias {@code [2, 3U]} (input and recurrent): {@code x̂ = x W + b₀}, {@code ĥ = h R +
 *       b₁}, {@code z = σ(x̂_z + ĥ_z)}, {@code r = σ(x̂_r + ĥ_r)}, {@code h' = z h + (1 − z)
 *       tanh(x̂_h + r ĥ_h)}.
 * </ul>
 */
public enum RecurrentCell {
  /** Long short-term memory (Hochreiter and Schmidhuber 1997), with a forget gate. */
  LSTM(4),
  /** Gated recurrent unit (Cho et al. 2014). */
  GRU(3);

  private final int gates;

  RecurrentCell(int gates) {
    this.gates = gates;
  }

  /** The state carried from step to step: the output {@code h} and (LSTM) the cell {@code c}. */
  public record State(Operand<TFloat32> h, Operand<TFloat32> c) {}

  /** Gates side by side in the kernels: 4 (LSTM) or 3 (GRU). */
  public int gates() {
    return gates;
  }

  /** The layer's name in specs and variable names: {@code lstm}, {@code gru}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The bias variable's shape for {@code units}: {@code [4U]} (LSTM) or {@code [2, 3U]} (GRU). */
  public long[] biasShape(int units) {
    return this == LSTM ? new long[] {biasSize(units)} : new long[] {2, 3L * units};
  }

  /** How many values the bias holds for {@code units}: {@code 4U} (LSTM) or {@code 6U} (GRU). */
  public int biasSize(int units) {
    return this == LSTM ? 4 * units : 6 * units;
  }

  /**
   * The bias a new layer starts from, flattened: zeros, but 1 for the LSTM's forget gate (Keras's
   * {@code unit_forget_bias}, after Jozefowicz et al. 2015).
   */
  public float[] initialBias(int units) {
    float[] b = new float[biasSize(units)];
    if (this == LSTM) {
      Arrays.fill(b, units, 2 * units, 1f);
    }
    return b;
  }

  /** The bias added to the input projection {@code x W}. */
  Operand<TFloat32> inputBias(Ops tf, Operand<TFloat32> bias) {
    return this == LSTM ? bias : row(tf, bias, 0);
  }

  /** The bias added to the recurrent projection {@code h R}: none (null) for the LSTM. */
  Operand<TFloat32> recurrentBias(Ops tf, Operand<TFloat32> bias) {
    return this == LSTM ? null : row(tf, bias, 1);
  }

  private static Operand<TFloat32> row(Ops tf, Operand<TFloat32> bias, int i) {
    return tf.reshape(tf.gather(bias, tf.constant(i), tf.constant(0)), tf.constant(new int[] {-1}));
  }

  /**
   * One step's values. Both cells carry a quantity forward as {@code new = keep ⊙ old + update ⊙
   * candidate} — the LSTM its cell {@code c}, the GRU its output {@code h} — with {@code candidate
   * = tanh(candidateInput)}, {@code candidateInput = x W_c + b_c + reset ⊙ (h R_c + b_rc)} (for the
   * LSTM reset is 1 and has no ops: null): what LRP's gate rules need.
   */
  public record Step(
      State state,
      Operand<TFloat32> keep,
      Operand<TFloat32> update,
      Operand<TFloat32> candidate,
      Operand<TFloat32> candidateInput,
      Operand<TFloat32> reset) {}

  /** Which gate's columns of the kernels make the candidate: 2 in both layouts. */
  public int candidateGate() {
    return 2;
  }

  /**
   * One step: {@code x} the input projection {@code x W + b} of this step, {@code r} the recurrent
   * projection {@code h R (+ b₁)} of the previous output, {@code previous} the state it carried.
   */
  Step step(Ops tf, Operand<TFloat32> x, Operand<TFloat32> r, State previous) {
    if (this == LSTM) {
      List<Output<TFloat32>> z = split(tf, tf.math.add(x, r), 4);
      Operand<TFloat32> keep = tf.math.sigmoid(z.get(1));
      Operand<TFloat32> update = tf.math.sigmoid(z.get(0));
      Operand<TFloat32> candidate = tf.math.tanh(z.get(2));
      Operand<TFloat32> c =
          tf.math.add(tf.math.mul(keep, previous.c()), tf.math.mul(update, candidate));
      return new Step(
          new State(tf.math.mul(tf.math.sigmoid(z.get(3)), tf.math.tanh(c)), c),
          keep,
          update,
          candidate,
          z.get(2),
          null);
    }
    List<Output<TFloat32>> xs = split(tf, x, 3);
    List<Output<TFloat32>> rs = split(tf, r, 3);
    Operand<TFloat32> keep = tf.math.sigmoid(tf.math.add(xs.get(0), rs.get(0)));
    Operand<TFloat32> reset = tf.math.sigmoid(tf.math.add(xs.get(1), rs.get(1)));
    Operand<TFloat32> candidateInput = tf.math.add(xs.get(2), tf.math.mul(reset, rs.get(2)));
    Operand<TFloat32> candidate = tf.math.tanh(candidateInput);
    // z h + (1 - z) h~, written h~ + z (h - h~)
    Operand<TFloat32> h =
        tf.math.add(candidate, tf.math.mul(keep, tf.math.sub(previous.h(), candidate)));
    return new Step(
        new State(h, null),
        keep,
        tf.math.sub(tf.constant(1f), keep),
        candidate,
        candidateInput,
        reset);
  }

  private static List<Output<TFloat32>> split(Ops tf, Operand<TFloat32> z, int parts) {
    Split<TFloat32> split = tf.split(tf.constant(1), z, (long) parts);
    return split.output();
  }
}
