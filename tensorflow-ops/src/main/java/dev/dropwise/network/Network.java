package dev.dropwise.network;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A model's layers as weights, without dropout, in inference mode (BatchNorm on its moving
 * averages): what importance measures run their clean forward and backward passes over, and what
 * the serving graph computes. Layers are Dense and Conv2D ({@link Linear}, a following BatchNorm
 * folded in), {@link Recurrent}, {@link MaxPool} and {@link Flatten}; the last layer's output is
 * the logits.
 */
public record Network(FeatureShape input, List<Layer> layers, List<FeatureShape> outputs) {

  /** Copies the lists; refused unless there is one output shape per layer. */
  public Network {
    layers = List.copyOf(layers);
    outputs = List.copyOf(outputs);
    if (layers.size() != outputs.size()) {
      throw new IllegalArgumentException(
          layers.size() + " layers but " + outputs.size() + " output shapes");
    }
  }

  /** One layer of a clean forward pass. */
  public sealed interface Layer permits Linear, MaxPool, Flatten, Recurrent {
    /** The layer's output for the input {@code a}. */
    Operand<TFloat32> forward(Ops tf, Operand<TFloat32> a);
  }

  /** How a linear layer maps its input through the kernel, and the adjoint LRP rules need. */
  public enum Kind {
    /** {@code a W}, W {@code [in, out]}. */
    DENSE,
    /** {@code conv2d(a, W)}, W {@code [k, k, in, out]}, padding SAME. */
    CONV;

    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> a, Operand<TFloat32> kernel, int stride) {
      return this == DENSE
          ? tf.linalg.matMul(a, kernel)
          : tf.nn.conv2d(a, kernel, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
    }

    /** {@code s Wᵀ} (dense) or the transposed convolution of {@code s}, shaped like {@code a}. */
    Operand<TFloat32> adjoint(
        Ops tf, Operand<TFloat32> s, Operand<TFloat32> kernel, int stride, Operand<TFloat32> a) {
      return this == DENSE
          ? tf.linalg.matMul(s, kernel, MatMul.transposeB(true))
          : tf.nn.conv2dBackpropInput(
              tf.shape(a), kernel, s, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
    }
  }

  /**
   * A BatchNorm folded into the linear layer before it, in inference mode: on its moving averages.
   * Training on the batch's moments, and moving the averages, is the training graph's (model's
   * BatchNormTraining).
   */
  public record Norm(
      Operand<TFloat32> gamma,
      Operand<TFloat32> beta,
      Operand<TFloat32> mean,
      Operand<TFloat32> variance,
      float epsilon,
      double momentum) {

    /** {@code gamma / sqrt(variance + epsilon)} per output unit, with the moving variance. */
    Operand<TFloat32> scale(Ops tf) {
      return scale(tf, variance);
    }

    private Operand<TFloat32> scale(Ops tf, Operand<TFloat32> v) {
      return tf.math.mul(gamma, tf.math.rsqrt(tf.math.add(v, tf.constant(epsilon))));
    }

    /** {@code (z - m) gamma / sqrt(v + epsilon) + beta} with the given moments. */
    public Operand<TFloat32> normalise(
        Ops tf, Operand<TFloat32> z, Operand<TFloat32> m, Operand<TFloat32> v) {
      return tf.math.add(tf.math.mul(tf.math.sub(z, m), scale(tf, v)), beta);
    }
  }

  /**
   * A Dense or Conv2D layer: {@code activation(norm(map(a, kernel) + bias))}, {@code norm} null
   * without BatchNorm. For LRP the layer is one linear map with {@link #lrpKernel} and {@link
   * #lrpBias}: the BatchNorm folded into the kernel and bias, as zennit's canonizers merge it.
   */
  public record Linear(
      Kind kind,
      Operand<TFloat32> kernel,
      Operand<TFloat32> bias,
      Activation activation,
      int stride,
      Norm norm)
      implements Layer {

    /** A Dense layer without BatchNorm: {@code activation(a kernel + bias)}, stride 1. */
    public static Linear dense(
        Operand<TFloat32> kernel, Operand<TFloat32> bias, Activation activation) {
      return new Linear(Kind.DENSE, kernel, bias, activation, 1, null);
    }

    /** Input width of a Dense layer. */
    public int inputs() {
      return (int) kernel.shape().get(kernel.shape().numDimensions() - 2);
    }

    /** Output units (Dense) or channels (Conv2D). */
    public int units() {
      return (int) kernel.shape().get(kernel.shape().numDimensions() - 1);
    }

    /** {@code map(a, kernel) + bias}, before any BatchNorm. */
    public Operand<TFloat32> linear(Ops tf, Operand<TFloat32> a) {
      return tf.math.add(kind.apply(tf, a, kernel, stride), bias);
    }

    /**
     * The pre-activation: {@link #linear}, normalised with the moving averages if there is a
     * BatchNorm.
     */
    public Operand<TFloat32> preActivation(Ops tf, Operand<TFloat32> a) {
      return normalised(tf, linear(tf, a));
    }

    @Override
    public Operand<TFloat32> forward(Ops tf, Operand<TFloat32> a) {
      return activation.apply(tf, preActivation(tf, a));
    }

    /**
     * The output for a product {@code map(a, kernel)} computed elsewhere: bias, BatchNorm (moving
     * averages), activation.
     */
    public Operand<TFloat32> fromProduct(Ops tf, Operand<TFloat32> product) {
      return activation.apply(tf, normalised(tf, tf.math.add(product, bias)));
    }

    private Operand<TFloat32> normalised(Ops tf, Operand<TFloat32> z) {
      return norm == null ? z : norm.normalise(tf, z, norm.mean(), norm.variance());
    }

    /** The kernel of the layer as one linear map (BatchNorm's scale folded in). */
    public Operand<TFloat32> lrpKernel(Ops tf) {
      return norm == null ? kernel : tf.math.mul(kernel, norm.scale(tf));
    }

    /** The bias of the layer as one linear map: {@code (b - mean) scale + beta}. */
    public Operand<TFloat32> lrpBias(Ops tf) {
      return norm == null
          ? bias
          : tf.math.add(tf.math.mul(tf.math.sub(bias, norm.mean()), norm.scale(tf)), norm.beta());
    }

    /**
     * {@code map(a, w)} for another kernel of the same shape (the LRP rules' split and boosted
     * weights).
     */
    public Operand<TFloat32> map(Ops tf, Operand<TFloat32> a, Operand<TFloat32> w) {
      return kind.apply(tf, a, w, stride);
    }

    /**
     * The adjoint of {@link #map}: where a relevance ratio {@code s} at the outputs sends its
     * share.
     */
    public Operand<TFloat32> adjoint(
        Ops tf, Operand<TFloat32> s, Operand<TFloat32> w, Operand<TFloat32> a) {
      return kind.adjoint(tf, s, w, stride, a);
    }
  }

  /** Max pooling over {@code size x size} windows, stride {@code size}, padding VALID. */
  public record MaxPool(int size) implements Layer {
    @Override
    public Operand<TFloat32> forward(Ops tf, Operand<TFloat32> a) {
      return tf.nn.maxPool(a, window(tf), window(tf), "VALID");
    }

    /** Routes {@code relevance} of the pooled map to each window's maximum (winner takes all). */
    public Operand<TFloat32> routeToMaxima(
        Ops tf, Operand<TFloat32> a, Operand<TFloat32> pooled, Operand<TFloat32> relevance) {
      return tf.nn.maxPoolGrad(a, pooled, relevance, window(tf), window(tf), "VALID");
    }

    private Operand<TInt32> window(Ops tf) {
      return tf.constant(new int[] {1, size, size, 1});
    }
  }

  /** {@code [N, H, W, C] -> [N, H*W*C]}. */
  public record Flatten(int size) implements Layer {
    @Override
    public Operand<TFloat32> forward(Ops tf, Operand<TFloat32> a) {
      return tf.reshape(a, tf.constant(new int[] {-1, size}));
    }
  }

  /** Trained Dense weights as graph constants, over a flat input. */
  public static Network dense(Ops tf, List<DenseWeights> weights) {
    List<Layer> layers = new ArrayList<>();
    List<FeatureShape> outputs = new ArrayList<>();
    for (DenseWeights w : weights) {
      layers.add(Linear.dense(tf.constant(w.kernel()), tf.constant(w.bias()), w.activation()));
      outputs.add(FeatureShape.flat(w.bias().length));
    }
    return new Network(FeatureShape.flat(weights.get(0).kernel().length), layers, outputs);
  }

  /**
   * Hidden activations (one per layer but the last) and logits of a clean forward pass; for each
   * recurrent hidden layer also its outputs over time ({@code steps}, null for other layers).
   */
  public record Forward(
      Operand<TFloat32> input,
      List<Operand<TFloat32>> hidden,
      Operand<TFloat32> logits,
      List<Recurrent.OverTime> steps) {

    /** Copies the lists; {@code steps} holds one entry (or null) per hidden layer. */
    public Forward {
      hidden = List.copyOf(hidden);
      steps = java.util.Collections.unmodifiableList(new ArrayList<>(steps));
    }

    /**
     * What importance measures score of hidden layer {@code i}: its output, or a recurrent layer's
     * outputs at every step {@code [N, T, U]}.
     */
    public Operand<TFloat32> scored(int layer) {
      return steps.get(layer) == null ? hidden.get(layer) : steps.get(layer).outputs();
    }

    /**
     * What a gradient of {@link #scored} is taken with respect to: the output itself, or a
     * recurrent layer's {@link Recurrent.OverTime#probe}, whose gradient is every step's.
     */
    public Operand<TFloat32> gradientTarget(int layer) {
      return steps.get(layer) == null ? hidden.get(layer) : steps.get(layer).probe();
    }

    /** The input of layer {@code i}: the (reshaped) data for 0, else hidden activation i-1. */
    public Operand<TFloat32> inputOf(int layer) {
      return layer == 0 ? input : hidden.get(layer - 1);
    }

    /** The output of layer {@code i}. */
    public Operand<TFloat32> outputOf(int layer) {
      return layer == hidden.size() ? logits : hidden.get(layer);
    }
  }

  /** {@code x [N, input.size()]} reshaped to the input's batch shape (a no-op for a flat input). */
  public Operand<TFloat32> reshapeInput(Ops tf, Operand<TFloat32> x) {
    return input.form() != FeatureShape.Form.FLAT
        ? tf.reshape(x, tf.constant(input.reshapeTarget()))
        : x;
  }

  /**
   * The logits of a flat batch {@code x [N, input.size()]} alone: the clean forward pass without
   * what importance measures need (a recurrent layer's probes), as a served model computes it.
   */
  public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> h = reshapeInput(tf, x);
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).forward(tf.withSubScope(scopeName(i)), h);
    }
    return h;
  }

  /** The clean forward pass of a flat batch {@code x [N, input.size()]}. */
  public Forward forward(Ops tf, Operand<TFloat32> x) {
    return forward(tf, x, (layer, h) -> h);
  }

  /**
   * The forward pass with {@code afterHidden.apply(i, output)} standing in for hidden layer {@code
   * i}'s output (e.g. units removed at inference).
   */
  public Forward forward(
      Ops tf,
      Operand<TFloat32> x,
      BiFunction<Integer, Operand<TFloat32>, Operand<TFloat32>> afterHidden) {
    Operand<TFloat32> in = reshapeInput(tf, x);
    return layersFrom(tf, in, 0, in, new ArrayList<>(), new ArrayList<>(), afterHidden);
  }

  /**
   * The clean forward pass of {@code x} given layer 0's output {@code first}, computed by the
   * caller some other way (e.g. from a product shared by several inputs): layers 1.. run as in
   * {@link #forward}.
   */
  public Forward forwardFrom(Ops tf, Operand<TFloat32> x, Operand<TFloat32> first) {
    if (layers.size() < 2) {
      throw new IllegalArgumentException(
          "forwardFrom needs a hidden layer: the network has " + layers.size() + " layer");
    }
    List<Recurrent.OverTime> steps = new ArrayList<>();
    steps.add(null);
    return layersFrom(
        tf, reshapeInput(tf, x), 1, first, new ArrayList<>(List.of(first)), steps, (layer, h) -> h);
  }

  /**
   * Layers {@code start..} over {@code h}, each hidden output appended to {@code hidden} and its
   * outputs over time (a recurrent layer's, probed; else null) to {@code steps}.
   */
  private Forward layersFrom(
      Ops tf,
      Operand<TFloat32> in,
      int start,
      Operand<TFloat32> h,
      List<Operand<TFloat32>> hidden,
      List<Recurrent.OverTime> steps,
      BiFunction<Integer, Operand<TFloat32>, Operand<TFloat32>> afterHidden) {
    for (int i = start; i < layers.size(); i++) {
      Ops scope = tf.withSubScope(scopeName(i));
      Recurrent.OverTime overTime = null;
      if (layers.get(i) instanceof Recurrent recurrent) {
        Recurrent.Unrolled unrolled = recurrent.unrollProbed(scope, h);
        overTime = unrolled.overTime();
        h = unrolled.output();
      } else {
        h = layers.get(i).forward(scope, h);
      }
      if (i < layers.size() - 1) {
        h = afterHidden.apply(i, h);
        hidden.add(h);
        steps.add(overTime);
      }
    }
    return new Forward(in, hidden, h, steps);
  }

  /**
   * Layer {@code i}'s name ({@link LayerNames}), the name scope of its ops: {@code dense_0}, {@code
   * pool_1}, ...
   */
  public String scopeName(int i) {
    LayerNames names = new LayerNames();
    String name = null;
    for (int l = 0; l <= i; l++) {
      Layer layer = layers.get(l);
      name =
          names.next(
              layer instanceof Linear linear
                  ? (linear.kind() == Kind.DENSE ? "dense" : "conv")
                  : layer instanceof Recurrent recurrent
                      ? recurrent.cell().text()
                      : layer instanceof MaxPool ? "pool" : "flatten");
    }
    return name;
  }

  /** Number of hidden layers (the layers whose outputs dropout can follow). */
  public int hiddenCount() {
    return layers.size() - 1;
  }

  /**
   * The units of layer {@code i}'s output as the importance-guided methods see them: channels of a
   * map.
   */
  public int units(int layer) {
    return outputs.get(layer).channels();
  }
}
