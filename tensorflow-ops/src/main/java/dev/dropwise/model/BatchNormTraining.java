package dev.dropwise.model;

import dev.dropwise.network.Network;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * BatchNorm while training (Ioffe and Szegedy): the batch's moments normalise, and the moving
 * averages that inference uses ({@link Network.Norm}) move towards them, {@code m <- momentum m +
 * (1 - momentum) batch}.
 */
final class BatchNormTraining {
  private BatchNormTraining() {}

  /**
   * {@code z} normalised by {@code norm} with the batch's moments while {@code training} is on —
   * and the moving averages moved towards them by ops added to {@code stateUpdates}, run with each
   * training step — and with the moving averages while it is off.
   */
  static Operand<TFloat32> normalise(
      Ops tf,
      Network.Norm norm,
      Operand<TFloat32> z,
      Operand<TBool> training,
      List<Op> stateUpdates) {
    Ops s = tf.withSubScope("batch_norm");
    int[] axes = z.shape().numDimensions() == 4 ? new int[] {0, 1, 2} : new int[] {0};
    Operand<TFloat32> batchMean = s.math.mean(z, s.constant(axes));
    Operand<TFloat32> batchVariance =
        s.math.mean(s.math.squaredDifference(z, batchMean), s.constant(axes));
    Operand<TFloat32> on = s.dtypes.cast(training, TFloat32.class);
    Operand<TFloat32> off = s.math.sub(s.constant(1f), on);
    Operand<TFloat32> m = s.math.add(s.math.mul(on, batchMean), s.math.mul(off, norm.mean()));
    Operand<TFloat32> v =
        s.math.add(s.math.mul(on, batchVariance), s.math.mul(off, norm.variance()));
    Operand<TFloat32> keep = s.constant((float) norm.momentum());
    Operand<TFloat32> move = s.constant((float) (1 - norm.momentum()));
    stateUpdates.add(
        s.assign(
            norm.mean(),
            s.math.add(
                s.math.mul(keep, norm.mean()), s.math.mul(move, s.stopGradient(batchMean)))));
    stateUpdates.add(
        s.assign(
            norm.variance(),
            s.math.add(
                s.math.mul(keep, norm.variance()),
                s.math.mul(move, s.stopGradient(batchVariance)))));
    return norm.normalise(s, z, m, v);
  }
}
