package dev.dropwise.importance;

import dev.dropwise.network.Network;
import dev.dropwise.network.Recurrent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Importance of hidden units as graph ops, each returning one score tensor per hidden layer of a
 * {@link Network}, shaped like that layer's output ({@code [examples, units]}, or {@code [examples,
 * H, W, C]} after a convolution or pooling), computed on a clean (dropout-free) forward pass.
 * {@link #channelTotals} turns a map's scores into channel importance; aggregating over a batch is
 * left to the caller (the policies average over examples).
 */
public final class ImportanceOps {
  private final Ops tf;

  private ImportanceOps(Ops tf) {
    this.tf = tf;
  }

  /** The importance ops in {@code tf}'s graph. */
  public static ImportanceOps create(Ops tf) {
    return new ImportanceOps(tf);
  }

  /** The class each example is explained for: the arg-max logit, or its label. */
  public Operand<TInt32> targetClass(
      Network.Forward forward, Target target, Operand<TInt32> labels) {
    return target == Target.LABEL
        ? labels
        : tf.math.argMax(forward.logits(), tf.constant(1), TInt32.class);
  }

  /** The logit of each example's target class, summed: d(this)/d(a) is the per-example gradient. */
  static Operand<TFloat32> selectedLogitSum(
      Ops tf, Operand<TFloat32> logits, Operand<TInt32> classes) {
    int classCount = (int) logits.shape().get(1);
    Operand<TFloat32> oneHot =
        tf.oneHot(classes, tf.constant(classCount), tf.constant(1f), tf.constant(0f));
    return tf.reduceSum(tf.math.mul(oneHot, logits), tf.constant(new int[] {0, 1}));
  }

  /**
   * LRP: relevance seeded at the target class ({@code R = logit} there, 0 elsewhere) and passed
   * down through every layer above each hidden layer: linear layers (Dense, Conv2D, BatchNorm
   * folded in) with {@code rule}, max pooling winner-takes-all (each window's relevance to its
   * maximum), a Flatten by reshaping, a recurrent layer by the gate rules of {@link RecurrentLrp}
   * (its own entry: what arrives at its output at every step, {@code [N, T, U]}; a first layer with
   * zoneout, which the rules do not cover, is not passed through, its entry the relevance of its
   * output).
   */
  public List<Operand<TFloat32>> lrp(
      Network network, Network.Forward forward, LrpRule rule, Operand<TInt32> classes) {
    // A recurrent first layer's steps come from passing relevance through it, down to the input;
    // with zoneout, which its rules do not cover, its entry is the relevance of its output alone.
    boolean throughFirst = network.layers().get(0) instanceof Recurrent r && RecurrentLrp.covers(r);
    List<Operand<TFloat32>> perLayer =
        relevanceDown(network, forward, classes, throughFirst ? 0 : 1, (index, layer) -> rule);
    return throughFirst ? perLayer.subList(1, perLayer.size()) : perLayer;
  }

  /**
   * LRP as {@link #lrp}, with {@code ruleAt} giving each linear layer's rule by its index, down to
   * the input of layer {@code lowest}: element i is the relevance of layer {@code lowest + i}'s
   * input (with {@code lowest} 0, element 0 is the input's, in the network's input shape), or for
   * the output of a recurrent layer passed through, every step's.
   */
  public List<Operand<TFloat32>> relevanceDown(
      Network network,
      Network.Forward forward,
      Operand<TInt32> classes,
      int lowest,
      BiFunction<Integer, Network.Linear, LrpRule> ruleAt) {
    Ops s = tf.withSubScope("lrp");
    int classCount = (int) forward.logits().shape().get(1);
    Operand<TFloat32> relevance =
        s.math.mul(
            forward.logits(),
            s.oneHot(classes, s.constant(classCount), s.constant(1f), s.constant(0f)));
    List<Operand<TFloat32>> perLayer = new ArrayList<>();
    for (int layer = network.layers().size() - 1; layer >= lowest; layer--) {
      Operand<TFloat32> a = forward.inputOf(layer);
      Network.Layer l = network.layers().get(layer);
      if (l instanceof Network.Linear linear) {
        relevance = ruleAt.apply(layer, linear).propagate(s, a, linear, relevance);
      } else if (l instanceof Network.MaxPool pool) {
        relevance = pool.routeToMaxima(s, a, forward.outputOf(layer), relevance);
      } else if (l instanceof Recurrent recurrent) {
        RecurrentLrp.Relevance through = RecurrentLrp.propagate(s, recurrent, a, relevance);
        if (!perLayer.isEmpty()) {
          // The layer's own entry: what arrives at its output at every step, not only the last.
          perLayer.set(0, through.steps());
        }
        relevance = through.input();
      } else {
        relevance = s.reshape(relevance, s.shape(a));
      }
      perLayer.add(0, relevance);
    }
    return perLayer;
  }

  /**
   * Channel importance: a feature map's per-position scores {@code [N, H, W, C]} summed over H and
   * W to {@code [N, C]} (a channel's share of the relevance or conductance, which sums exactly, so
   * conservation carries over), a recurrent layer's per-step scores {@code [N, T, U]} summed over
   * time to {@code [N, U]} (each step's score counts what flows through that step's output, later
   * steps included, so that sum counts a path once per step it passes: it ranks units by their part
   * over the whole sequence, and no longer adds up to the logit); flat scores unchanged.
   */
  public Operand<TFloat32> channelTotals(Operand<TFloat32> scores) {
    return switch (scores.shape().numDimensions()) {
      case 4 -> tf.reduceSum(scores, tf.constant(new int[] {1, 2}));
      case 3 -> tf.reduceSum(scores, tf.constant(1));
      default -> scores;
    };
  }

  /** {@code |∂y_c/∂a|} per hidden unit, y_c the target-class logit. */
  public List<Operand<TFloat32>> gradientMagnitude(
      Network.Forward forward, Operand<TInt32> classes) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : gradients(forward, classes)) {
      out.add(tf.math.abs(g));
    }
    return out;
  }

  /** {@code ∂y_c/∂a ⊙ a} per hidden unit (signed). */
  public List<Operand<TFloat32>> gradientTimesActivation(
      Network.Forward forward, Operand<TInt32> classes) {
    List<Operand<TFloat32>> grads = gradients(forward, classes);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      out.add(tf.math.mul(grads.get(i), forward.scored(i)));
    }
    return out;
  }

  /** {@code |a|} per hidden unit. */
  public List<Operand<TFloat32>> activationMagnitude(Network.Forward forward) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < forward.hidden().size(); i++) {
      out.add(tf.math.abs(forward.scored(i)));
    }
    return out;
  }

  /**
   * Conductance (Y-Drop Eq. 2, Shrikumar et al.): for inputs {@code x} and a zero baseline,
   * interpolation points {@code x_i = (i / steps) x}, i = 0..steps, and {@code Y_k = Σ_{i=1..steps}
   * ∂y_c(x_i)/∂a_k · (a_k(x_i) − a_k(x_{i−1}))}. The class c is the target of x itself. Summed over
   * a layer's units, Y approaches y_c(x) − y_c(0) as steps grows.
   *
   * <p>{@code factored} false: every point goes through the network, all as one batch. True: the
   * first layer's products come from one product of x, {@code (αx)W = α(xW)}, and the baseline (the
   * same for every example) is one row with no gradient taken — equal in exact arithmetic, about a
   * third fewer products on 784-1024-1024-10, but rounded differently.
   */
  public List<Operand<TFloat32>> conductance(
      Network network,
      Operand<TFloat32> x,
      int steps,
      Target target,
      Operand<TInt32> labels,
      boolean factored) {
    if (steps < 1) {
      throw new IllegalArgumentException(
          "conductance steps=" + steps + " is not allowed: must be >= 1");
    }
    Ops s = tf.withSubScope("conductance");
    int features = (int) x.shape().get(1);
    // The points run through the network, alpha-major: i = 0..steps, or 1..steps when factored.
    int first = factored ? 1 : 0;
    int points = steps + 1 - first;
    float[] alphas = new float[points];
    for (int i = first; i <= steps; i++) {
      alphas[i - first] = (float) i / steps;
    }
    Operand<TFloat32> alpha = s.constant(alphas);
    Network.Forward forward;
    Network.Forward baseline = null;
    if (factored
        && network.layers().get(0) instanceof Network.Linear layer
        && network.hiddenCount() > 0) {
      Operand<TFloat32> product = layer.map(s, network.reshapeInput(s, x), layer.kernel());
      forward =
          network.forwardFrom(
              s,
              onPath(s, x, alpha, points),
              layer.fromProduct(s, onPath(s, product, alpha, points)));
    } else {
      forward = network.forward(s, onPath(s, x, alpha, points));
    }
    if (factored) {
      baseline = network.forward(s, s.zeros(s.constant(new int[] {1, features}), TFloat32.class));
    }
    Operand<TInt32> classes;
    if (target == Target.LABEL) {
      classes = labels;
    } else {
      // x itself is the path's last block (alpha = 1): its logits are there already.
      Operand<TFloat32> logits = forward.logits();
      int classCount = (int) logits.shape().get(1);
      Operand<TFloat32> last =
          s.reshape(
              s.slice(
                  s.reshape(logits, s.constant(new int[] {points, -1, classCount})),
                  s.constant(new int[] {points - 1, 0, 0}),
                  s.constant(new int[] {1, -1, -1})),
              s.constant(new int[] {-1, classCount}));
      classes = s.math.argMax(last, s.constant(1), TInt32.class);
    }
    Operand<TInt32> tiled =
        s.reshape(
            s.tile(s.expandDims(classes, s.constant(0)), s.constant(new int[] {points, 1})),
            s.constant(new int[] {-1}));
    List<Operand<TFloat32>> grads = gradients(forward, tiled);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int l = 0; l < grads.size(); l++) {
      // [points * n, ...unit dims] -> [points, n, units], the unit dims flattened.
      Operand<TFloat32> hidden = forward.scored(l);
      int units = 1;
      for (int d = 1; d < hidden.shape().numDimensions(); d++) {
        units *= (int) hidden.shape().get(d);
      }
      Operand<TInt32> byStep = s.constant(new int[] {points, -1, units});
      Operand<TFloat32> a = s.reshape(hidden, byStep);
      Operand<TFloat32> g = s.reshape(grads.get(l), byStep);
      // a(x_i) at i = 1..steps, and a(x_{i-1}) beside it.
      Operand<TFloat32> current = factored ? a : blocks(s, a, 1, steps);
      Operand<TFloat32> previous = blocks(s, a, 0, points - 1);
      if (factored) {
        Operand<TFloat32> zero = s.reshape(baseline.scored(l), s.constant(new int[] {1, 1, units}));
        previous =
            s.concat(
                List.of(s.broadcastTo(zero, s.shape(blocks(s, a, 0, 1))), previous), s.constant(0));
      }
      Operand<TFloat32> perUnit =
          s.reduceSum(
              s.math.mul(factored ? g : blocks(s, g, 1, steps), s.math.sub(current, previous)),
              s.constant(0));
      long[] unitDims = hidden.shape().asArray();
      unitDims[0] = -1;
      out.add(
          s.reshape(perUnit, s.constant(Arrays.stream(unitDims).mapToInt(v -> (int) v).toArray())));
    }
    return out;
  }

  /**
   * Internal Influence (Leino et al. 2018): the gradient of the target-class logit by each hidden
   * unit, averaged along the input's path from a zero baseline, {@code x_i = ((i − ½) / steps) x},
   * i = 1..steps (midpoint rule, as integrated gradients); the class is the target of x itself.
   * Unlike conductance it is not multiplied by the unit's change: a unit's influence on the output,
   * not its share of it.
   */
  public List<Operand<TFloat32>> internalInfluence(
      Network network, Operand<TFloat32> x, int steps, Target target, Operand<TInt32> labels) {
    if (steps < 1) {
      throw new IllegalArgumentException(
          "internal-influence steps=" + steps + " is not allowed: must be >= 1");
    }
    Ops s = tf.withSubScope("internal_influence");
    float[] alphas = new float[steps];
    for (int i = 1; i <= steps; i++) {
      alphas[i - 1] = (i - 0.5f) / steps;
    }
    Network.Forward forward = network.forward(s, onPath(s, x, s.constant(alphas), steps));
    Operand<TInt32> classes =
        target == Target.LABEL
            ? labels
            : s.math.argMax(network.logits(s, x), s.constant(1), TInt32.class);
    Operand<TInt32> tiled =
        s.reshape(
            s.tile(s.expandDims(classes, s.constant(0)), s.constant(new int[] {steps, 1})),
            s.constant(new int[] {-1}));
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : gradients(forward, tiled)) {
      long[] dims = g.shape().asArray();
      int[] byStep = new int[dims.length + 1];
      byStep[0] = steps;
      byStep[1] = -1;
      for (int d = 1; d < dims.length; d++) {
        byStep[d + 1] = (int) dims[d];
      }
      out.add(s.math.mean(s.reshape(g, s.constant(byStep)), s.constant(0)));
    }
    return out;
  }

  /**
   * Grad-CAM's channel weights (Selvaraju et al. 2017): for a feature map {@code A [N, H, W, C]},
   * {@code α_k = (1 / HW) Σ_ij ∂y_c/∂A_ij^k}, given at every position as {@code α_k / HW} so that
   * {@link #channelTotals} sums it back to α_k; for a flat layer the gradient itself.
   */
  public List<Operand<TFloat32>> gradCamWeights(Network.Forward forward, Operand<TInt32> classes) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : gradients(forward, classes)) {
      if (g.shape().numDimensions() == 4) {
        long positions = g.shape().get(1) * g.shape().get(2);
        Operand<TFloat32> alpha =
            tf.math.mean(g, tf.constant(new int[] {1, 2}), Mean.keepDims(true));
        out.add(tf.math.div(tf.math.add(tf.zerosLike(g), alpha), tf.constant((float) positions)));
      } else {
        out.add(g);
      }
    }
    return out;
  }

  /** {@code α·v} at every point of the path, {@code [points * n, ...]}, alpha-major. */
  private static Operand<TFloat32> onPath(
      Ops s, Operand<TFloat32> v, Operand<TFloat32> alpha, int points) {
    int rank = v.shape().numDimensions();
    int[] alphaShape = new int[rank + 1];
    Arrays.fill(alphaShape, 1);
    alphaShape[0] = points;
    Operand<TFloat32> scaled =
        s.math.mul(s.expandDims(v, s.constant(0)), s.reshape(alpha, s.constant(alphaShape)));
    int[] flat = Arrays.stream(v.shape().asArray()).mapToInt(d -> (int) d).toArray();
    flat[0] = -1;
    return s.reshape(scaled, s.constant(flat));
  }

  /** Blocks {@code from..from+count-1} of a {@code [points, n, units]} tensor. */
  private static Operand<TFloat32> blocks(Ops s, Operand<TFloat32> v, int from, int count) {
    return s.slice(v, s.constant(new int[] {from, 0, 0}), s.constant(new int[] {count, -1, -1}));
  }

  @SuppressWarnings("unchecked")
  private List<Operand<TFloat32>> gradients(Network.Forward forward, Operand<TInt32> classes) {
    Operand<TFloat32> y = selectedLogitSum(tf, forward.logits(), classes);
    List<Operand<TFloat32>> targets = new ArrayList<>();
    for (int i = 0; i < forward.hidden().size(); i++) {
      targets.add(forward.gradientTarget(i));
    }
    var grads = tf.gradients(y, targets);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      out.add((Operand<TFloat32>) (Operand<?>) grads.dy(i));
    }
    return out;
  }
}
