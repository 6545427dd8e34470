package dev.dropwise.importance;

import dev.dropwise.model.DenseStack;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Importance of hidden units as graph ops, each returning one {@code [examples, units]} score
 * tensor per hidden layer of a {@link DenseStack}, computed on a clean (dropout-free) forward
 * pass. Aggregating over a batch is left to the caller (the policies average over examples).
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
  public Operand<TInt32> targetClass(DenseStack.Forward forward, Target target, Operand<TInt32> labels) {
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
   * down through every Dense layer above each hidden layer with {@code rule}.
   */
  public List<Operand<TFloat32>> lrp(
      DenseStack stack, DenseStack.Forward forward, LrpRule rule, Operand<TInt32> classes) {
    Ops s = tf.withSubScope("lrp");
    int classCount = (int) forward.logits().shape().size(1);
    Operand<TFloat32> relevance = s.math.mul(forward.logits(),
        s.oneHot(classes, s.constant(classCount), s.constant(1f), s.constant(0f)));
    List<Operand<TFloat32>> perLayer = new ArrayList<>();
    for (int layer = stack.layers().size() - 1; layer >= 1; layer--) {
      DenseStack.Layer dense = stack.layers().get(layer);
      relevance = rule.propagate(s, forward.inputOf(layer), dense.kernel(), dense.bias(), relevance);
      perLayer.add(0, relevance);
    }
    return perLayer;
  }

  /** {@code |∂y_c/∂a|} per hidden unit, y_c the target-class logit. */
  public List<Operand<TFloat32>> gradientMagnitude(DenseStack.Forward forward, Operand<TInt32> classes) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : gradients(forward, classes)) {
      out.add(tf.math.abs(g));
    }
    return out;
  }

  /** {@code ∂y_c/∂a ⊙ a} per hidden unit (signed). */
  public List<Operand<TFloat32>> gradientTimesActivation(DenseStack.Forward forward, Operand<TInt32> classes) {
    List<Operand<TFloat32>> grads = gradients(forward, classes);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      out.add(tf.math.mul(grads.get(i), forward.hidden().get(i)));
    }
    return out;
  }

  /** {@code |a|} per hidden unit. */
  public List<Operand<TFloat32>> activationMagnitude(DenseStack.Forward forward) {
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
      DenseStack stack, Operand<TFloat32> x, int steps, Target target, Operand<TInt32> labels) {
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
    DenseStack.Forward forward = stack.forward(s, path);
    Operand<TInt32> classes;
    if (target == Target.LABEL) {
      classes = labels;
    } else {
      classes = s.math.argMax(stack.forward(s, x).logits(), s.constant(1), TInt32.class);
    }
    Operand<TInt32> tiled = s.reshape(s.tile(s.expandDims(classes, s.constant(0)),
        s.constant(new int[] {steps + 1, 1})), s.constant(new int[] {-1}));
    List<Operand<TFloat32>> grads = gradients(forward, tiled);
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int l = 0; l < grads.size(); l++) {
      int units = (int) forward.hidden().get(l).shape().size(1);
      Operand<TInt32> byStep = s.constant(new int[] {steps + 1, -1, units});
      Operand<TFloat32> a = s.reshape(forward.hidden().get(l), byStep);
      Operand<TFloat32> g = s.reshape(grads.get(l), byStep);
      Operand<TFloat32> delta = s.math.sub(
          s.slice(a, s.constant(new int[] {1, 0, 0}), s.constant(new int[] {steps, -1, -1})),
          s.slice(a, s.constant(new int[] {0, 0, 0}), s.constant(new int[] {steps, -1, -1})));
      Operand<TFloat32> gRight = s.slice(g, s.constant(new int[] {1, 0, 0}), s.constant(new int[] {steps, -1, -1}));
      out.add(s.reduceSum(s.math.mul(gRight, delta), s.constant(0)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private List<Operand<TFloat32>> gradients(DenseStack.Forward forward, Operand<TInt32> classes) {
    Operand<TFloat32> y = selectedLogitSum(forward.logits(), classes);
    var grads = tf.gradients(y, forward.hidden());
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < forward.hidden().size(); i++) {
      out.add((Operand<TFloat32>) (Operand<?>) grads.dy(i));
    }
    return out;
  }
}
