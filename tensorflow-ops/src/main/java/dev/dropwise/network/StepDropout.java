package dev.dropwise.network;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What dropout does inside a {@link Recurrent} layer's steps, where a mask drawn afresh at every
 * step would erase the layer's memory: on the input sequence, on the previous output before it
 * enters the recurrent product, and on the state carried to the next step (zoneout). The model
 * layer supplies it; {@link #NONE} is the clean pass.
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

  /** The state carried on, from the cell's {@code previous} and {@code next}. */
  default RecurrentCell.State carry(
      Ops tf, RecurrentCell.State previous, RecurrentCell.State next) {
    return next;
  }
}
