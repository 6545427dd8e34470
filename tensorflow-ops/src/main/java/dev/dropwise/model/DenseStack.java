package dev.dropwise.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The Dense layers of a model as weights, without dropout: what importance measures run their
 * clean forward and backward passes over. The last layer's output is the logits.
 */
public record DenseStack(List<Layer> layers) {

  /** One Dense layer: {@code activation(a W + b)}. */
  public record Layer(Operand<TFloat32> kernel, Operand<TFloat32> bias, Activation activation) {
    public int inputs() {
      return (int) kernel.shape().size(0);
    }

    public int units() {
      return (int) kernel.shape().size(1);
    }

    public Operand<TFloat32> preActivation(Ops tf, Operand<TFloat32> a) {
      return tf.math.add(tf.linalg.matMul(a, kernel), bias);
    }
  }

  public DenseStack {
    layers = List.copyOf(layers);
  }

  /** Trained weights as graph constants. */
  public static DenseStack of(Ops tf, List<DenseWeights> weights) {
    List<Layer> layers = new ArrayList<>();
    for (DenseWeights w : weights) {
      layers.add(new Layer(tf.constant(w.kernel()), tf.constant(w.bias()), w.activation()));
    }
    return new DenseStack(layers);
  }

  /** Hidden activations (one per layer but the last) and logits of a clean forward pass. */
  public record Forward(Operand<TFloat32> input, List<Operand<TFloat32>> hidden, Operand<TFloat32> logits) {
    /** The input of Dense layer {@code i}: the data for 0, else hidden activation i-1. */
    public Operand<TFloat32> inputOf(int layer) {
      return layer == 0 ? input : hidden.get(layer - 1);
    }
  }

  public Forward forward(Ops tf, Operand<TFloat32> x) {
    List<Operand<TFloat32>> hidden = new ArrayList<>();
    Operand<TFloat32> h = x;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      h = layer.activation().apply(tf, layer.preActivation(tf, h));
      if (i < layers.size() - 1) {
        hidden.add(h);
      }
    }
    return new Forward(x, hidden, h);
  }

  /** Number of hidden layers (the layers whose units dropout acts on). */
  public int hiddenCount() {
    return layers.size() - 1;
  }
}
