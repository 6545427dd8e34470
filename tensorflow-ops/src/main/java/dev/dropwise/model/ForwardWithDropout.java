package dev.dropwise.model;

import dev.dropwise.dropout.DropoutContext;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.Learning;
import dev.dropwise.dropout.Masked;
import dev.dropwise.importance.ScoreSource;
import dev.dropwise.network.Network;
import dev.dropwise.network.Recurrent;
import dev.dropwise.ops.DropoutOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A model's forward pass with its dropout layers in place, over the clean {@link Network} of a
 * {@link WeightStore}: what the training graph trains and the serving graph's Monte Carlo signature
 * samples. Every layer of the spec is one step: a network layer (its BatchNorm, if any, on the
 * batch's moments or the moving averages), or a dropout method; a method that {@link
 * DropoutSpec#masksNextKernel masks the next kernel} hands its mask to the Dense layer after it.
 */
final class ForwardWithDropout {

  /**
   * How the pass runs: the training switch; whether BatchNorm uses the batch's moments while it is
   * on (training) or its moving averages (Monte Carlo); the masks' seed and step; what the dropout
   * methods may use; where the dropped fractions go, and each dropout layer's multiplier by its
   * index in the spec (null: not recorded); and what the methods learn (null: nothing).
   */
  record Pass(
      Operand<TBool> training,
      boolean batchStatistics,
      long maskSeed,
      Operand<TInt64> step,
      Operand<TInt64> epoch,
      Operand<TFloat32> progress,
      ScoreSource scores,
      List<Op> stateUpdates,
      Operand<TFloat32> rates,
      List<Operand<TFloat32>> dropFractions,
      Map<Integer, Operand<TFloat32>> multipliers,
      Learning learning) {}

  /** A dropout layer placed since the last network layer, with the context it was built in. */
  private record Placed(DropoutSpec method, DropoutContext context) {}

  private ForwardWithDropout() {}

  /**
   * The activations before the spec's first dropout layer: {@code h} after the network layers up to
   * it, {@code layerIndex} the last of them (−1: none), {@code next} the spec's layer that follows.
   * Every pass computes the same there, so that passes may share it.
   */
  record Prefix(Operand<TFloat32> h, int layerIndex, int next) {}

  /**
   * The part of the forward pass before the first dropout layer, run with BatchNorm on its moving
   * averages (as a Monte Carlo pass and the serving graph run it).
   */
  static Prefix beforeDropout(Ops tf, ModelSpec spec, Network network, Operand<TFloat32> input) {
    Operand<TFloat32> h = network.reshapeInput(tf, input);
    int layerIndex = -1;
    int i = 0;
    for (; i < spec.layers().size() && !dropsHere(spec.layers().get(i)); i++) {
      if (!(spec.layers().get(i) instanceof LayerSpec.BatchNorm)) {
        layerIndex++;
        h =
            network
                .layers()
                .get(layerIndex)
                .forward(tf.withSubScope(network.scopeName(layerIndex)), h);
      }
    }
    return new Prefix(h, layerIndex, i);
  }

  /** Whether {@code layer} drops anything: a dropout layer, or a recurrent one with its own. */
  private static boolean dropsHere(LayerSpec layer) {
    return layer instanceof LayerSpec.Dropout
        || (layer instanceof LayerSpec.Recurrent r && r.dropout().any());
  }

  /** The logits of {@code input} under {@code spec}, with dropout as {@code pass} says. */
  static Operand<TFloat32> logits(
      Ops tf, ModelSpec spec, Network network, Operand<TFloat32> input, Pass pass) {
    return logits(tf, spec, network, new Prefix(network.reshapeInput(tf, input), -1, 0), pass);
  }

  /**
   * The logits from {@code from} on (the input reshaped, or a {@link #beforeDropout} shared between
   * passes), with dropout as {@code pass} says.
   */
  static Operand<TFloat32> logits(Ops tf, ModelSpec spec, Network network, Prefix from, Pass pass) {
    DropoutOps seeds = DropoutOps.create(tf);
    List<String> names = spec.layerNames();
    Operand<TFloat32> h = from.h();
    int layerIndex = from.layerIndex();
    int scheduledIndex = 0;
    List<Placed> placed = new ArrayList<>();
    for (int i = from.next(); i < spec.layers().size(); i++) {
      LayerSpec layer = spec.layers().get(i);
      if (layer instanceof LayerSpec.BatchNorm) {
        continue; // part of the network layer before it (Network.Norm, BatchNormTraining)
      }
      if (layer instanceof LayerSpec.Dropout drop) {
        Ops scope = tf.withSubScope(names.get(i));
        Operand<TFloat32> rate =
            drop.method().rateSchedule().isPresent()
                ? scope.gather(pass.rates(), scope.constant(scheduledIndex++), scope.constant(0))
                : null;
        Operand<TFloat32> kernel =
            layerIndex >= 0 && network.layers().get(layerIndex) instanceof Network.Linear previous
                ? previous.kernel()
                : null;
        DropoutContext ctx =
            context(scope, seeds, i, names.get(i), layerIndex, pass, rate, kernel, network);
        Masked masked = drop.method().applyTo(ctx, h);
        if (pass.dropFractions() != null && masked.multiplier() != null) {
          pass.dropFractions().add(droppedFraction(scope, masked.multiplier()));
        }
        if (pass.multipliers() != null && masked.multiplier() != null) {
          pass.multipliers().put(i, masked.multiplier());
        }
        h = masked.output();
        placed.add(new Placed(drop.method(), ctx));
        continue;
      }
      Network.Layer built = network.layers().get(++layerIndex);
      Ops scope = tf.withSubScope(network.scopeName(layerIndex));
      if (built instanceof Network.Linear linear) {
        h = linear(scope, linear, placed, h, pass);
      } else if (built instanceof Recurrent recurrent
          && layer instanceof LayerSpec.Recurrent r
          && r.dropout().any()) {
        DropoutContext ctx =
            context(scope, seeds, i, names.get(i), layerIndex, pass, null, null, network);
        h = recurrent.unroll(scope, h, new RecurrentStepDropout(r.dropout(), ctx), null).output();
      } else {
        h = built.forward(scope, h);
      }
      placed.clear();
    }
    return h;
  }

  /**
   * The context of spec layer {@code i} (a dropout layer, or a recurrent layer that drops inside),
   * after network layer {@code layerIndex} (itself, for a recurrent layer): its mask seed for this
   * step, the pass's switches and state, and the kernels around it.
   */
  private static DropoutContext context(
      Ops scope,
      DropoutOps seeds,
      int i,
      String name,
      int layerIndex,
      Pass pass,
      Operand<TFloat32> rate,
      Operand<TFloat32> kernel,
      Network network) {
    return new DropoutContext(
        scope,
        pass.training(),
        seeds.seed(pass.maskSeed(), i, pass.step()),
        pass.epoch(),
        pass.progress(),
        layerIndex,
        pass.scores(),
        pass.stateUpdates(),
        rate,
        kernel,
        nextKernel(network, layerIndex + 1),
        pass.learning() == null ? null : pass.learning().forLayer(i, name));
  }

  /**
   * The kernel of the first Dense or Conv2D layer from network layer {@code from} on, past a
   * Flatten (which only reshapes); null where a pooling layer or the end comes first.
   */
  private static Operand<TFloat32> nextKernel(Network network, int from) {
    for (int j = from; j < network.layers().size(); j++) {
      Network.Layer layer = network.layers().get(j);
      if (layer instanceof Network.Linear linear) {
        return linear.kernel();
      }
      if (!(layer instanceof Network.Flatten)) {
        return null;
      }
    }
    return null;
  }

  /** A Dense or Conv2D layer, its kernel as the dropout layers before it leave it. */
  private static Operand<TFloat32> linear(
      Ops scope, Network.Linear layer, List<Placed> placed, Operand<TFloat32> h, Pass pass) {
    Network.Linear linear = layer;
    for (Placed p : placed) {
      if (p.method().masksNextKernel()) {
        linear =
            new Network.Linear(
                linear.kind(),
                p.method().maskNextKernel(p.context(), linear.kernel()),
                linear.bias(),
                linear.activation(),
                linear.stride(),
                linear.norm());
      }
    }
    if (linear.norm() == null || !pass.batchStatistics()) {
      return linear.forward(scope, h);
    }
    Operand<TFloat32> z =
        BatchNormTraining.normalise(
            scope, linear.norm(), linear.linear(scope, h), pass.training(), pass.stateUpdates());
    return linear.activation().apply(scope, z);
  }

  /**
   * The fraction of a multiplier's entries that are 0: the share of units a dropout layer dropped.
   */
  private static Operand<TFloat32> droppedFraction(Ops scope, Operand<TFloat32> multiplier) {
    Operand<TFloat32> isDropped =
        scope.dtypes.cast(scope.math.equal(multiplier, scope.constant(0f)), TFloat32.class);
    return scope
        .withName("dropped_fraction")
        .math
        .mean(scope.reshape(isDropped, scope.constant(new int[] {-1})), scope.constant(0));
  }
}
