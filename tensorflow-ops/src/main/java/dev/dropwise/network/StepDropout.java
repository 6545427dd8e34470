package dev.dropwise.network;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What dropout does inside a {@link Recurrent} layer's steps, where a mask drawn afresh at every
 * step would erase the layer's memory: on the input sequence, on the previous output before it
 * enters the recurrent product, and on the state carried to the next step (zoneout). The model
 * layer supplies it for training; {@link #NONE} is the clean pass (zoneout's expectation).
 */
public interface StepDropout {
  /** Leaves everything as it is. */
  StepDropout NONE = new StepDropout() {};

  /** The input sequence {@code [N, T, F]} as the input projection sees it. */
  default Operand<TFloat32> input(Ops tf, Operand<TFloat32> sequence) {
    return sequence;
  }

  /** The previous output {@code h_{t-1} [N, U]} as the recurrent product sees it. */
  default Operand<TFloat32> recurrent(Ops tf, Operand<TFloat32> h) {
    return h;
  }

  /**
   * The state carried on, from the cell's {@code previous} and {@code next}, for a layer with
   * zoneout {@code p}: by default its expectation {@code p·previous + (1 − p)·next}.
   */
  default RecurrentCell.State zoneout(
      Ops tf, RecurrentCell.State previous, RecurrentCell.State next, float p) {
    Operand<TFloat32> keep = tf.constant(p);
    return new RecurrentCell.State(
        mix(tf, keep, previous.h(), next.h()),
        next.c() == null ? null : mix(tf, keep, previous.c(), next.c()));
  }

  /** {@code keep·previous + (1 − keep)·next}, written {@code next + keep·(previous − next)}. */
  static Operand<TFloat32> mix(
      Ops tf, Operand<TFloat32> keep, Operand<TFloat32> previous, Operand<TFloat32> next) {
    return tf.math.add(next, tf.math.mul(keep, tf.math.sub(previous, next)));
  }
}
