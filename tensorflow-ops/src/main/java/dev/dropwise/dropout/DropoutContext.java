package dev.dropwise.dropout;

import dev.dropwise.importance.ScoreSource;
import dev.dropwise.ops.DropoutOps;
import dev.dropwise.util.Seeds;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Everything a dropout method may use where it is placed: the graph (scoped to the layer), the
 * training switch, a mask seed for this layer and step, the epoch, importance scores of the layer's
 * units, and state that persists across steps.
 */
public final class DropoutContext {
  private final Ops tf;
  private final Operand<TBool> training;
  private final Operand<TInt64> seed;
  private final Operand<TInt64> epoch;
  private final Operand<TFloat32> progress;
  private final int hiddenIndex;
  private final ScoreSource scores;
  private final List<Op> stateUpdates;
  private final Operand<TFloat32> scheduledRate;
  private final Operand<TFloat32> layerKernel;

  public DropoutContext(
      Ops tf,
      Operand<TBool> training,
      Operand<TInt64> seed,
      Operand<TInt64> epoch,
      Operand<TFloat32> progress,
      int hiddenIndex,
      ScoreSource scores,
      List<Op> stateUpdates) {
    this(tf, training, seed, epoch, progress, hiddenIndex, scores, stateUpdates, null);
  }

  /**
   * @param scheduledRate this layer's rate, fed every step, for a scheduled method; else null
   */
  public DropoutContext(
      Ops tf,
      Operand<TBool> training,
      Operand<TInt64> seed,
      Operand<TInt64> epoch,
      Operand<TFloat32> progress,
      int hiddenIndex,
      ScoreSource scores,
      List<Op> stateUpdates,
      Operand<TFloat32> scheduledRate) {
    this(
        tf,
        training,
        seed,
        epoch,
        progress,
        hiddenIndex,
        scores,
        stateUpdates,
        scheduledRate,
        null);
  }

  private DropoutContext(
      Ops tf,
      Operand<TBool> training,
      Operand<TInt64> seed,
      Operand<TInt64> epoch,
      Operand<TFloat32> progress,
      int hiddenIndex,
      ScoreSource scores,
      List<Op> stateUpdates,
      Operand<TFloat32> scheduledRate,
      Operand<TFloat32> layerKernel) {
    this.layerKernel = layerKernel;
    this.scheduledRate = scheduledRate;
    this.tf = tf;
    this.training = training;
    this.seed = seed;
    this.epoch = epoch;
    this.progress = progress;
    this.hiddenIndex = hiddenIndex;
    this.scores = scores;
    this.stateUpdates = stateUpdates;
  }

  public Ops tf() {
    return tf;
  }

  public DropoutOps ops() {
    return DropoutOps.create(tf);
  }

  public Operand<TBool> training() {
    return training;
  }

  /** 1.0 while training, 0.0 otherwise. */
  public Operand<TFloat32> trainingFloat() {
    return tf.dtypes.cast(training, TFloat32.class);
  }

  /**
   * This layer's mask seed for this step; {@link #seed(long)} gives further independent streams.
   */
  public Operand<TInt64> seed() {
    return seed;
  }

  /** An independent stream of this layer and step, for a second random draw. */
  public Operand<TInt64> seed(long stream) {
    return tf.math.add(seed, tf.constant(new long[] {Seeds.mix(0x5eed, stream), 0}));
  }

  /** The 0-based epoch being trained. */
  public Operand<TInt64> epoch() {
    return epoch;
  }

  /** Training progress {@code epoch / epochs} in [0, 1). */
  public Operand<TFloat32> progress() {
    return progress;
  }

  /** Which hidden layer (0-based) this dropout follows. */
  public int hiddenIndex() {
    return hiddenIndex;
  }

  public ScoreSource scores() {
    return scores;
  }

  /** The rate a schedule set for this layer and epoch (a scalar fed every step), or null. */
  public Operand<TFloat32> scheduledRate() {
    return scheduledRate;
  }

  /**
   * This context with the kernel of the layer the dropout follows: {@code [inputs, units]} after a
   * Dense layer ({@code [h, w, in, filters]} after a Conv2D), the weights of its units by column.
   */
  public DropoutContext withLayerKernel(Operand<TFloat32> kernel) {
    return new DropoutContext(
        tf,
        training,
        seed,
        epoch,
        progress,
        hiddenIndex,
        scores,
        stateUpdates,
        scheduledRate,
        kernel);
  }

  /**
   * The kernel of the layer this dropout follows (see {@link #withLayerKernel}), or null when it
   * follows none.
   */
  public Operand<TFloat32> layerKernel() {
    return layerKernel;
  }

  /**
   * {@code [rows, width]} for a mask over {@code x}'s rows, or {@code [1, width]} for one shared by
   * the batch.
   */
  public Operand<TInt32> maskShape(Operand<TFloat32> x, boolean perBatch) {
    int width = (int) x.shape().get(1);
    Operand<TInt32> rows =
        perBatch
            ? tf.constant(new int[] {1})
            : tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    return tf.concat(List.of(rows, tf.constant(new int[] {width})), tf.constant(0));
  }

  /** A variable that persists across steps and is not trained. */
  public <T extends TType> Variable<T> state(String name, Operand<T> initial) {
    return tf.withName(name).variable(initial);
  }

  /** An op to run with every training step (and never at evaluation). */
  public void onTrainingStep(Op update) {
    stateUpdates.add(update);
  }
}
