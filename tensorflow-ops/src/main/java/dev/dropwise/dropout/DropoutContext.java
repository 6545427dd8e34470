package dev.dropwise.dropout;

import dev.dropwise.importance.ScoreSource;
import dev.dropwise.ops.DropoutOps;
import dev.dropwise.util.Seeds;
import java.util.ArrayList;
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
 * units, and state that persists across steps. The model's forward pass builds one per dropout
 * layer; {@link #standalone} builds one for a method's own tests.
 *
 * @param tf the graph, scoped to the dropout layer
 * @param training true while training: a method leaves its input as it is otherwise
 * @param seed this layer's mask seed for this step; {@link #seed(long)} gives further independent
 *     streams
 * @param epoch the 0-based epoch being trained
 * @param progress training progress {@code epoch / epochs}, in [0, 1)
 * @param hiddenIndex which hidden layer (0-based) this dropout follows
 * @param scores importance scores of the layer's units, for the importance-guided methods; null
 *     where none are computed
 * @param stateUpdates ops run with every training step (and never at evaluation); see {@link
 *     #onTrainingStep}
 * @param scheduledRate the rate a schedule set for this layer and epoch (a scalar fed every step),
 *     or null
 * @param layerKernel the kernel of the layer this dropout follows, {@code [inputs, units]} after a
 *     Dense layer ({@code [h, w, in, filters]} after a Conv2D), the weights of its units by column;
 *     null when it follows none
 * @param nextKernel the kernel of the layer this dropout feeds, whose inputs it drops; null when
 *     the next layer has none
 * @param learning where a method that learns puts its trainable variables, loss terms and learned
 *     rate ({@link Learning}); null outside a training graph
 */
public record DropoutContext(
    Ops tf,
    Operand<TBool> training,
    Operand<TInt64> seed,
    Operand<TInt64> epoch,
    Operand<TFloat32> progress,
    int hiddenIndex,
    ScoreSource scores,
    List<Op> stateUpdates,
    Operand<TFloat32> scheduledRate,
    Operand<TFloat32> layerKernel,
    Operand<TFloat32> nextKernel,
    Learning learning) {

  /**
   * A context outside any model, for testing a method on a tensor: epoch 0, progress 0, after
   * hidden layer 0, no scores, no schedule, no kernel, its state updates collected in a new list.
   */
  public static DropoutContext standalone(Ops tf, Operand<TBool> training, Operand<TInt64> seed) {
    return new DropoutContext(
        tf,
        training,
        seed,
        tf.constant(0L),
        tf.constant(0f),
        0,
        null,
        new ArrayList<>(),
        null,
        null,
        null,
        null);
  }

  /** The dropout ops in this context's graph (masks, multipliers, seeds). */
  public DropoutOps ops() {
    return DropoutOps.create(tf);
  }

  /** 1.0 while training, 0.0 otherwise. */
  public Operand<TFloat32> trainingFloat() {
    return tf.dtypes.cast(training, TFloat32.class);
  }

  /**
   * The rate {@code method} drops at this step: the one its {@link DropoutSpec#rateSchedule
   * schedule} set, fed every step, or {@code fixed}.
   */
  public Operand<TFloat32> rate(DropoutSpec method, float fixed) {
    if (method.rateSchedule().isEmpty()) {
      return tf.constant(fixed);
    }
    if (scheduledRate == null) {
      throw new IllegalStateException(
          method.text() + " has a rate schedule but the graph feeds it no rate");
    }
    return scheduledRate;
  }

  /** An independent stream of this layer and step, for a second random draw. */
  public Operand<TInt64> seed(long stream) {
    return tf.math.add(seed, tf.constant(new long[] {Seeds.mix(0x5eed, stream), 0}));
  }

  /** This context with {@code seed} as its mask seed (a stream of its own: {@link #seed(long)}). */
  public DropoutContext withSeed(Operand<TInt64> seed) {
    return with(seed, layerKernel);
  }

  /** This context with {@code kernel} as {@link #layerKernel}. */
  public DropoutContext withLayerKernel(Operand<TFloat32> kernel) {
    return with(seed, kernel);
  }

  private DropoutContext with(Operand<TInt64> seed, Operand<TFloat32> kernel) {
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
        kernel,
        nextKernel,
        learning);
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
