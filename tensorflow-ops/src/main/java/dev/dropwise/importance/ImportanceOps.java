package dev.dropwise.importance;

import dev.dropwise.network.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
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

  public static ImportanceOps create(Ops tf) {
    return new ImportanceOps(tf);
  }

  /** The class each example is explained for: the arg-max logit, or its label. */
  public Operand<TInt32> targetClass(Network.Forward forward, Target target, Operand<TInt32> labels) {
    return target == Target.LABEL ? labels : tf.math.argMax(forward.logits(), tf.constant(1), TInt32.class);
  }

  /** The logit of each example's target class, summed: d(this)/d(a) is the per-example gradient. */
  private Operand<TFloat32> selectedLogitSum(Operand<TFloat32> logits, Operand<TInt32> classes) {
    int classCount = (int) logits.shape().size(1);
    Operand<TFloat32> oneHot = tf.oneHot(classes, tf.constant(classCount), tf.constant(1f), tf.constant(0f));
    return tf.reduceSum(tf.math.mul(oneHot, logits), tf.constant(new int[] {0, 1}));
  }

  /**
   * LRP: relevance seeded at the target class ({@code R = logit} there, 0 elsewhere) and passed
   * down through every layer above each hidden layer: linear layers (Dense, Conv2D, BatchNorm
   * folded in) with {@code rule}, max pooling winner-takes-all (each window's relevance to its
   * maximum), a Flatten by reshaping.
   */
  public List<Operand<TFloat32>> lrp(
      Network network, Network.Forward forward, LrpRule rule, Operand<TInt32> classes) {
    Ops s = tf.withSubScope("lrp");
    int classCount = (int) forward.logits().shape().size(1);
    Operand<TFloat32> relevance = s.math.mul(forward.logits(),
        s.oneHot(classes, s.constant(classCount), s.constant(1f), s.constant(0f)));
    List<Operand<TFloat32>> perLayer = new ArrayList<>();
    for (int layer = network.layers().size() - 1; layer >= 1; layer--) {
      Operand<TFloat32> a = forward.inputOf(layer);
      Network.Layer l = network.layers().get(layer);
      if (l instanceof Network.Linear linear) {
        relevance = rule.propagate(s, a, linear, relevance);
      } else if (l instanceof Network.MaxPool pool) {
        relevance = pool.routeToMaxima(s, a, forward.outputOf(layer), relevance);
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
   * conservation carries over); flat scores unchanged.
   */
  public Operand<TFloat32> channelTotals(Operand<TFloat32> scores) {
    return scores.shape().numDimensions() == 4 ? tf.reduceSum(scores, tf.constant(new int[] {1, 2})) : scores;
  }

  /** {@code |∂y_c/∂a|} per hidden unit, y_c the target-class logit. */
  public List<Operand<TFloat32>> gradientMagnitude(Network.Forward forward, Operand<TInt32> classes) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : gradients(forward, classes)) {
      out.add(tf.math.abs(g));
    }
    return out;
  }

  /** {@code ∂y_c/∂a ⊙ a} per hidden unit (signed). */
  public List<Operand<TFloat32>> gradientTimesActivation(Network.Forward forward, Operand<TInt32> classes) {
    List<Operand<TFloat32>> grads = gradients(forward, classes);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      out.add(tf.math.mul(grads.get(i), forward.hidden().get(i)));
    }
    return out;
  }

  /** {@code |a|} per hidden unit. */
  public List<Operand<TFloat32>> activationMagnitude(Network.Forward forward) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> a : forward.hidden()) {
      out.add(tf.math.abs(a));
    }
    return out;
  }

  /**
   * Conductance (Y-Drop Eq. 2, Shrikumar et al.): for inputs {@code x} and a zero baseline,
   * interpolation points {@code x_i = (i / steps) x}, i = 0..steps, all fed as one batch, and
   * {@code Y_k = Σ_{i=1..steps} ∂y_c(x_i)/∂a_k · (a_k(x_i) − a_k(x_{i−1}))}. The class c is the
   * target of x itself. Summed over a layer's units, Y approaches y_c(x) − y_c(0) as steps grows.
   */
  public List<Operand<TFloat32>> conductance(
      Network network, Operand<TFloat32> x, int steps, Target target, Operand<TInt32> labels) {
    if (steps < 1) {
      throw new IllegalArgumentException("conductance steps=" + steps + " is not allowed: must be >= 1");
    }
    Ops s = tf.withSubScope("conductance");
    int features = (int) x.shape().size(1);
    float[] alphas = new float[steps + 1];
    for (int i = 0; i <= steps; i++) {
      alphas[i] = (float) i / steps;
    }
    // [steps + 1, n, features] -> [(steps + 1) * n, features], alpha-major.
    Operand<TFloat32> path = s.reshape(
        s.math.mul(s.expandDims(x, s.constant(0)), s.reshape(s.constant(alphas), s.constant(new int[] {steps + 1, 1, 1}))),
        s.constant(new int[] {-1, features}));
    Network.Forward forward = network.forward(s, path);
    Operand<TInt32> classes;
    if (target == Target.LABEL) {
      classes = labels;
    } else {
      // x itself is the path's last block (alpha = 1): its logits are there already.
      Operand<TFloat32> logits = forward.logits();
      int classCount = (int) logits.shape().size(1);
      Operand<TFloat32> last = s.reshape(s.slice(s.reshape(logits, s.constant(new int[] {steps + 1, -1, classCount})),
          s.constant(new int[] {steps, 0, 0}), s.constant(new int[] {1, -1, -1})), s.constant(new int[] {-1, classCount}));
      classes = s.math.argMax(last, s.constant(1), TInt32.class);
    }
    Operand<TInt32> tiled = s.reshape(s.tile(s.expandDims(classes, s.constant(0)),
        s.constant(new int[] {steps + 1, 1})), s.constant(new int[] {-1}));
    List<Operand<TFloat32>> grads = gradients(forward, tiled);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int l = 0; l < grads.size(); l++) {
      // [(steps + 1) * n, ...unit dims] -> [steps + 1, n, units], the unit dims flattened.
      Operand<TFloat32> hidden = forward.hidden().get(l);
      int units = 1;
      for (int d = 1; d < hidden.shape().numDimensions(); d++) {
        units *= (int) hidden.shape().size(d);
      }
      Operand<TInt32> byStep = s.constant(new int[] {steps + 1, -1, units});
      Operand<TFloat32> a = s.reshape(hidden, byStep);
      Operand<TFloat32> g = s.reshape(grads.get(l), byStep);
      Operand<TFloat32> delta = s.math.sub(
          s.slice(a, s.constant(new int[] {1, 0, 0}), s.constant(new int[] {steps, -1, -1})),
          s.slice(a, s.constant(new int[] {0, 0, 0}), s.constant(new int[] {steps, -1, -1})));
      Operand<TFloat32> gRight = s.slice(g, s.constant(new int[] {1, 0, 0}), s.constant(new int[] {steps, -1, -1}));
      Operand<TFloat32> perUnit = s.reduceSum(s.math.mul(gRight, delta), s.constant(0));
      long[] unitDims = hidden.shape().asArray();
      unitDims[0] = -1;
      out.add(s.reshape(perUnit, s.constant(Arrays.stream(unitDims).mapToInt(v -> (int) v).toArray())));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private List<Operand<TFloat32>> gradients(Network.Forward forward, Operand<TInt32> classes) {
    Operand<TFloat32> y = selectedLogitSum(forward.logits(), classes);
    var grads = tf.gradients(y, forward.hidden());
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < forward.hidden().size(); i++) {
      out.add((Operand<TFloat32>) (Operand<?>) grads.dy(i));
    }
    return out;
  }
}
