package dev.dropwise.model;

import dev.dropwise.dropout.DropoutContext;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.network.RecurrentCell;
import dev.dropwise.network.StepDropout;
import dev.dropwise.ops.Masks;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A recurrent layer's {@link RecurrentDropout} in a pass with dropout: the input's and the state's
 * masks, each drawn once per sequence (or per step) through the method itself in the layer's {@code
 * context}, and zoneout's random choice between the previous and the new state. With the training
 * switch off, every mask is 1 and zoneout is its expectation, as in the served network. One
 * instance serves one unrolling of the layer.
 */
final class RecurrentStepDropout implements StepDropout {
  /** The seed streams of the input's and the state's masks and of zoneout's draws. */
  private static final long INPUT = 1, STATE = 2, ZONEOUT_H = 3, ZONEOUT_C = 4, PER_STEP = 1000;

  private final RecurrentDropout settings;
  private final DropoutContext context;
  private Operand<TFloat32> stateMask;
  private int stateSteps;
  private int zoneoutSteps;

  RecurrentStepDropout(RecurrentDropout settings, DropoutContext context) {
    this.settings = settings;
    this.context = context;
  }

  @Override
  public Operand<TFloat32> input(Ops tf, Operand<TFloat32> sequence) {
    DropoutSpec method = settings.input();
    if (method instanceof NoDropout) {
      return sequence;
    }
    int steps = (int) sequence.shape().get(1);
    int features = (int) sequence.shape().get(2);
    DropoutContext ctx = context.withSeed(context.seed(INPUT));
    if (settings.perStep()) {
      // Every (example, step) row its own mask.
      Operand<TFloat32> rows = tf.reshape(sequence, tf.constant(new int[] {-1, features}));
      return tf.reshape(
          method.applyTo(ctx, rows).output(), tf.constant(new int[] {-1, steps, features}));
    }
    Operand<TFloat32> first =
        tf.reshape(
            tf.slice(
                sequence, tf.constant(new int[] {0, 0, 0}), tf.constant(new int[] {-1, 1, -1})),
            tf.constant(new int[] {-1, features}));
    Operand<TFloat32> mask = method.applyTo(ctx, ones(tf, first)).output();
    return tf.math.mul(sequence, tf.expandDims(mask, tf.constant(1)));
  }

  @Override
  public Operand<TFloat32> recurrent(Ops tf, Operand<TFloat32> h) {
    DropoutSpec method = settings.state();
    if (method instanceof NoDropout) {
      return h;
    }
    if (settings.perStep()) {
      DropoutContext ctx = context.withSeed(context.seed(PER_STEP + stateSteps++));
      return method.applyTo(ctx, h).output();
    }
    if (stateMask == null) {
      stateMask = method.applyTo(context.withSeed(context.seed(STATE)), ones(tf, h)).output();
    }
    return tf.math.mul(h, stateMask);
  }

  /**
   * Ones shaped like {@code like}, off the gradient's path (TensorFlow's C++ gradients have none
   * for OnesLike).
   */
  private static Operand<TFloat32> ones(Ops tf, Operand<TFloat32> like) {
    return tf.fill(tf.shape(like), tf.constant(1f));
  }

  @Override
  public RecurrentCell.State zoneout(
      Ops tf, RecurrentCell.State previous, RecurrentCell.State next, float p) {
    int step = zoneoutSteps++;
    Operand<TFloat32> h =
        StepDropout.mix(tf, keep(tf, next.h(), p, ZONEOUT_H, step), previous.h(), next.h());
    Operand<TFloat32> c =
        next.c() == null
            ? null
            : StepDropout.mix(tf, keep(tf, next.c(), p, ZONEOUT_C, step), previous.c(), next.c());
    return new RecurrentCell.State(h, c);
  }

  /**
   * Zoneout's keep-the-previous-state choice per unit: a fresh Bernoulli(p) draw while training, p
   * itself (the expectation) otherwise.
   */
  private Operand<TFloat32> keep(Ops tf, Operand<TFloat32> like, float p, long stream, int step) {
    Operand<TFloat32> drawn =
        Masks.bernoulli(tf, tf.constant(p), tf.shape(like), context.seed(PER_STEP * stream + step));
    Operand<TFloat32> on = context.trainingFloat();
    return tf.math.add(
        tf.math.mul(on, drawn), tf.math.mul(tf.math.sub(tf.constant(1f), on), tf.constant(p)));
  }
}
