package dev.dropwise.importance;

import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Network;
import dev.dropwise.network.Recurrent;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Relevance of each input feature as graph ops: the explanations of {@link InputAttribution}, each
 * {@code [examples, features]} over a flat batch {@code x [examples, features]} in the network's
 * input space, for the class {@code classes} gives each example.
 */
public final class InputRelevance {
  private final Ops tf;

  private InputRelevance(Ops tf) {
    this.tf = tf;
  }

  /** The input relevance ops in {@code tf}'s graph. */
  public static InputRelevance create(Ops tf) {
    return new InputRelevance(tf);
  }

  /** {@code ∂y_c/∂x}, y_c the target-class logit. */
  public Operand<TFloat32> gradient(Network network, Operand<TFloat32> x, Operand<TInt32> classes) {
    Ops s = tf.withSubScope("input_gradient");
    Operand<TFloat32> y = ImportanceOps.selectedLogitSum(s, network.logits(s, x), classes);
    @SuppressWarnings("unchecked")
    Operand<TFloat32> g = (Operand<TFloat32>) (Operand<?>) s.gradients(y, List.of(x)).dy(0);
    return g;
  }

  /**
   * LRP with each layer's rule from {@code composite}, carried down to the input and flattened: the
   * first linear layer's rule sees the bounds of {@code space} (a max pooling before it passes
   * relevance to each window's maximum).
   */
  public Operand<TFloat32> lrp(
      Network network,
      Operand<TFloat32> x,
      Operand<TInt32> classes,
      LrpComposite composite,
      InputSpace space) {
    Network.Forward forward = network.forward(tf, x);
    // The first rule (z^B, flat) is for the layer that sees the input; behind a recurrent layer no
    // Dense layer does, and every layer takes its own rule.
    int firstLinear = 0;
    while (!(network.layers().get(firstLinear) instanceof Network.Linear)
        && !(network.layers().get(firstLinear) instanceof Recurrent)) {
      firstLinear++;
    }
    int first = network.layers().get(firstLinear) instanceof Recurrent ? -1 : firstLinear;
    Operand<TFloat32> atInput =
        ImportanceOps.create(tf)
            .relevanceDown(
                network,
                forward,
                classes,
                0,
                (index, layer) -> composite.ruleAt(index == first, layer, space))
            .get(0);
    return tf.reshape(atInput, tf.constant(new int[] {-1, network.input().size()}));
  }

  /**
   * Integrated gradients (Sundararajan et al. 2017) from {@code baseline} (one value, or one per
   * feature): {@code (x − x') ⊙ mean_i ∂y_c/∂x at x' + α_i (x − x')}, with the midpoint rule {@code
   * α_i = (i − ½) / steps}, i = 1..steps, all points as one batch. The attributions sum to {@code
   * y_c(x) − y_c(x')} up to the rule's error, which falls as steps grows.
   */
  public Operand<TFloat32> integratedGradients(
      Network network, Operand<TFloat32> x, Operand<TInt32> classes, int steps, float[] baseline) {
    checkSteps(steps);
    Ops s = tf.withSubScope("integrated_gradients");
    int features = network.input().size();
    Operand<TFloat32> reference = perFeature(s, baseline);
    Operand<TFloat32> delta = s.math.sub(x, reference);
    float[] alphas = new float[steps];
    for (int i = 1; i <= steps; i++) {
      alphas[i - 1] = (i - 0.5f) / steps;
    }
    // [steps, N, F]: point i of example n is x' + α_i (x_n − x').
    Operand<TFloat32> points =
        s.math.add(
            reference,
            s.math.mul(
                s.expandDims(delta, s.constant(0)),
                s.reshape(s.constant(alphas), s.constant(new int[] {steps, 1, 1}))));
    Operand<TFloat32> flat = s.reshape(points, s.constant(new int[] {-1, features}));
    Operand<TFloat32> grads = gradient(network, flat, tiled(s, classes, steps));
    Operand<TFloat32> mean =
        s.math.mean(s.reshape(grads, s.constant(new int[] {steps, -1, features})), s.constant(0));
    return s.math.mul(delta, mean);
  }

  /**
   * SmoothGrad (Smilkov et al. 2017): the gradient averaged over {@code samples} copies of each
   * example with Gaussian noise of standard deviation {@code noise · (high − low)} per feature
   * added, the bounds from {@code space}; the noise is stateless, drawn from {@code seed}, so the
   * same seed and batch give the same numbers.
   */
  public Operand<TFloat32> smoothGrad(
      Network network,
      Operand<TFloat32> x,
      Operand<TInt32> classes,
      int samples,
      float noise,
      long seed,
      InputSpace space) {
    checkSmoothGrad(samples, noise);
    Ops s = tf.withSubScope("smoothgrad");
    int features = network.input().size();
    Operand<TFloat32> sigma =
        s.math.mul(
            s.constant(noise), s.math.sub(perFeature(s, space.high()), perFeature(s, space.low())));
    Operand<TInt32> shape =
        s.concat(List.of(s.constant(new int[] {samples}), s.shape(x)), s.constant(0));
    Operand<TFloat32> epsilon =
        s.random.statelessRandomNormal(shape, s.constant(new long[] {seed, 0L}), TFloat32.class);
    Operand<TFloat32> noisy =
        s.reshape(
            s.math.add(s.expandDims(x, s.constant(0)), s.math.mul(sigma, epsilon)),
            s.constant(new int[] {-1, features}));
    Operand<TFloat32> grads = gradient(network, noisy, tiled(s, classes, samples));
    return s.math.mean(
        s.reshape(grads, s.constant(new int[] {samples, -1, features})), s.constant(0));
  }

  /**
   * A Grad-CAM map (Selvaraju et al. 2017) carried to the input: at the feature map {@code A [N, h,
   * w, C]} of the layer named {@code layer} ({@code last}: the last layer with a feature map),
   * {@code ReLU(Σ_k α_k A^k)} with {@code α_k} the mean over positions of {@code ∂y_c/∂A^k},
   * resized bilinearly to the input's height and width and given to each of its channels.
   */
  public Operand<TFloat32> gradCam(
      Network network, Operand<TFloat32> x, Operand<TInt32> classes, String layer) {
    FeatureShape in = network.input();
    List<String> maps = new ArrayList<>();
    int chosen = -1;
    for (int i = 0; i < network.hiddenCount(); i++) {
      if (network.outputs().get(i).map()) {
        maps.add(network.scopeName(i));
        if (layer.equals("last") || layer.equals(network.scopeName(i))) {
          chosen = i;
        }
      }
    }
    if (!in.map() || maps.isEmpty()) {
      throw new IllegalArgumentException(
          "grad-cam explains images through a layer with feature maps; this model "
              + (in.map()
                  ? "has none (its layers are flat)"
                  : in.sequence()
                      ? "takes sequences of " + in + " (time steps x features)"
                      : "takes flat inputs of " + in.size()));
    }
    if (chosen < 0) {
      throw new IllegalArgumentException(
          "grad-cam layer="
              + layer
              + " is not allowed; use last or one of "
              + String.join(", ", maps));
    }
    Ops s = tf.withSubScope("grad_cam");
    Network.Forward forward = network.forward(s, x);
    Operand<TFloat32> a = forward.outputOf(chosen);
    Operand<TFloat32> y = ImportanceOps.selectedLogitSum(s, forward.logits(), classes);
    @SuppressWarnings("unchecked")
    Operand<TFloat32> g = (Operand<TFloat32>) (Operand<?>) s.gradients(y, List.of(a)).dy(0);
    Operand<TFloat32> alpha = s.math.mean(g, s.constant(new int[] {1, 2}), Mean.keepDims(true));
    Operand<TFloat32> cam =
        s.nn.relu(s.reduceSum(s.math.mul(alpha, a), s.constant(3), ReduceSum.keepDims(true)));
    Operand<TFloat32> resized =
        s.image.resizeBilinear(cam, s.constant(new int[] {in.height(), in.width()}));
    return s.reshape(
        s.tile(resized, s.constant(new int[] {1, 1, 1, in.channels()})),
        s.constant(new int[] {-1, in.size()}));
  }

  /** Refuses integrated gradients of fewer than 1 step. */
  static void checkSteps(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException(
          "integrated-gradients steps=" + steps + " is not allowed: must be >= 1");
    }
  }

  /** Refuses SmoothGrad of fewer than 1 sample or a negative noise level. */
  static void checkSmoothGrad(int samples, float noise) {
    if (samples < 1 || !(noise >= 0)) {
      throw new IllegalArgumentException(
          "smoothgrad samples="
              + samples
              + ", noise="
              + noise
              + " is not allowed: samples >= 1 and noise >= 0");
    }
  }

  /** {@code classes} repeated for {@code times} blocks of the batch, block-major. */
  private static Operand<TInt32> tiled(Ops s, Operand<TInt32> classes, int times) {
    return s.reshape(
        s.tile(s.expandDims(classes, s.constant(0)), s.constant(new int[] {times, 1})),
        s.constant(new int[] {-1}));
  }

  /** One value for every feature (a scalar), or one per feature ({@code [features]}). */
  private static Operand<TFloat32> perFeature(Ops s, float[] values) {
    return values.length == 1 ? s.constant(values[0]) : s.constant(values);
  }
}
