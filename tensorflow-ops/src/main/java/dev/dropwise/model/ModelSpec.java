package dev.dropwise.model;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.network.LayerNames;
import dev.dropwise.util.Nesting;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A sequential classifier over a flat input, an image (NHWC) or a sequence ({@code [T, F]}): Dense,
 * Conv2D, LSTM and GRU, MaxPool, BatchNorm, Flatten and Dropout layers, the last layer a Dense
 * layer whose outputs are the logits. Checked when made: every layer must fit the shape it receives
 * (a convolution needs a feature map, a BatchNorm follows a Dense or Conv2D layer, a dropout method
 * must fit the units it acts on). A Dense layer that follows a feature map gets a Flatten inserted
 * before it.
 *
 * <p>The model's input placeholder is always flat, {@code [N, input.size()]}; an image model
 * reshapes it to {@code [N, H, W, C]} first, so data, serving signatures and tools are the same for
 * both kinds.
 */
public record ModelSpec(FeatureShape input, List<LayerSpec> layers) {

  /**
   * Inserts a Flatten before each Dense layer that follows a feature map, then refuses a model
   * whose layers do not fit (see the class comment) or whose last layer is not Dense.
   */
  public ModelSpec {
    layers = LayerShapes.withFlattens(input, layers);
    if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof LayerSpec.Dense)) {
      throw new IllegalArgumentException("a model must end with a Dense layer (the logits)");
    }
    FeatureShape shape = input;
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec layer = layers.get(i);
      LayerSpec previous = i == 0 ? null : layers.get(i - 1);
      if (layer instanceof LayerSpec.BatchNorm
          && !(previous instanceof LayerSpec.Dense || previous instanceof LayerSpec.Conv2D)) {
        throw new IllegalArgumentException(
            "layer "
                + i
                + ": a BatchNorm must directly follow a Dense or Conv2D layer (it normalises that layer's pre-activation)");
      }
      if (layer instanceof LayerSpec.Dropout d
          && d.method().masksNextKernel()
          && !(i + 1 < layers.size() && layers.get(i + 1) instanceof LayerSpec.Dense)) {
        throw new IllegalArgumentException(
            d.method().text()
                + " masks the next Dense layer's weights: layer "
                + i
                + " must be followed by a Dense layer");
      }
      shape = LayerShapes.output(i, layer, shape);
    }
  }

  /** A model over a flat input of {@code inputs} features. */
  public ModelSpec(int inputs, List<LayerSpec> layers) {
    this(FeatureShape.flat(inputs), layers);
  }

  /**
   * The usual MLP: hidden Dense layers, each followed by {@code dropout}, then a linear output
   * layer of {@code classes} units.
   */
  public static ModelSpec mlp(
      int inputs,
      List<Integer> hidden,
      Activation activation,
      Initializer initializer,
      DropoutSpec dropout,
      int classes) {
    List<LayerSpec> layers = new ArrayList<>();
    for (int units : hidden) {
      layers.add(new LayerSpec.Dense(units, activation, initializer));
      if (!(dropout instanceof NoDropout)) {
        layers.add(new LayerSpec.Dropout(dropout));
      }
    }
    layers.add(
        new LayerSpec.Dense(classes, LayerSpec.OUTPUT_ACTIVATION, LayerSpec.OUTPUT_INITIALIZER));
    return new ModelSpec(inputs, layers);
  }

  /** This model without its dropout layers: the network a serving graph computes. */
  public ModelSpec withoutDropout() {
    return new ModelSpec(
        input, layers.stream().filter(l -> !(l instanceof LayerSpec.Dropout)).toList());
  }

  /**
   * The layers of {@link #withoutDropout()} as text, comma-separated ({@link LayerSpec#text}),
   * which {@link #parseNetwork} reads back with the input shape: what an export records of its
   * model.
   */
  public String networkText() {
    return withoutDropout().layers().stream().map(LayerSpec::text).collect(Collectors.joining(","));
  }

  /** The model of {@code input} ({@link FeatureShape#parse}) and {@link #networkText()}. */
  public static ModelSpec parseNetwork(String input, String network) {
    List<LayerSpec> layers = new ArrayList<>();
    for (String token : Nesting.split(network, ',', "network '" + network + "'")) {
      layers.add(LayerSpec.parse(token));
    }
    return new ModelSpec(FeatureShape.parse(input), layers);
  }

  /** Number of input features per example (the flat placeholder's width). */
  public int inputs() {
    return input.size();
  }

  /** Number of output classes. */
  public int classes() {
    return ((LayerSpec.Dense) layers.get(layers.size() - 1)).units();
  }

  /** The Dense layers in order. */
  public List<LayerSpec.Dense> denseLayers() {
    return layers.stream()
        .filter(LayerSpec.Dense.class::isInstance)
        .map(LayerSpec.Dense.class::cast)
        .toList();
  }

  /**
   * The hidden layers as the clean network counts them (a BatchNorm belongs to the layer before it,
   * dropout is no layer there): every such layer but the output layer.
   */
  public int hiddenCount() {
    return (int)
            layers.stream()
                .filter(l -> !(l instanceof LayerSpec.BatchNorm || l instanceof LayerSpec.Dropout))
                .count()
        - 1;
  }

  /** The shape each layer outputs, in layer order. */
  public List<FeatureShape> outputShapes() {
    List<FeatureShape> out = new ArrayList<>();
    FeatureShape shape = input;
    for (int i = 0; i < layers.size(); i++) {
      shape = LayerShapes.output(i, layers.get(i), shape);
      out.add(shape);
    }
    return out;
  }

  /** The shape layer {@code index} receives. */
  public FeatureShape inputShape(int index) {
    return index == 0 ? input : outputShapes().get(index - 1);
  }

  /**
   * Trainable parameters of layer {@code index} (a BatchNorm's scale and offset; moving averages
   * not counted).
   */
  public long parameters(int index) {
    FeatureShape in = inputShape(index);
    LayerSpec layer = layers.get(index);
    if (layer instanceof LayerSpec.Dense d) {
      return (long) in.size() * d.units() + d.units();
    } else if (layer instanceof LayerSpec.Conv2D c) {
      return (long) c.size() * c.size() * in.channels() * c.filters() + c.filters();
    } else if (layer instanceof LayerSpec.Recurrent r) {
      long gates = (long) r.cell().gates() * r.units();
      return (in.channels() + (long) r.units()) * gates + r.cell().biasSize(r.units());
    } else if (layer instanceof LayerSpec.BatchNorm) {
      return 2L * in.channels();
    }
    return 0;
  }

  /**
   * Every layer's name in the one naming scheme ({@link LayerNames}): {@code dense_0}, {@code
   * dropout_0}, {@code conv_1}, ...
   */
  public List<String> layerNames() {
    LayerNames names = new LayerNames();
    return layers.stream().map(layer -> names.next(kind(layer))).toList();
  }

  private static String kind(LayerSpec layer) {
    return layer instanceof LayerSpec.Dense
        ? "dense"
        : layer instanceof LayerSpec.Recurrent r
            ? r.cell().text()
            : layer instanceof LayerSpec.Conv2D
                ? "conv"
                : layer instanceof LayerSpec.MaxPool
                    ? "pool"
                    : layer instanceof LayerSpec.BatchNorm
                        ? "batch_norm"
                        : layer instanceof LayerSpec.Flatten ? "flatten" : "dropout";
  }

  /**
   * Multiply-adds of one example's forward pass through the Dense and Conv2D layers (a convolution
   * costs its kernel's weights at every output position): what a pruned model saves in arithmetic.
   */
  public long multiplyAdds() {
    long total = 0;
    List<FeatureShape> shapes = outputShapes();
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec layer = layers.get(i);
      if (layer instanceof LayerSpec.Dense || layer instanceof LayerSpec.Conv2D) {
        FeatureShape out = shapes.get(i);
        long bias = out.channels();
        total += (parameters(i) - bias) * out.height() * out.width();
      } else if (layer instanceof LayerSpec.Recurrent r) {
        // Both kernels at every step; the gates' element-wise work is left out, as BatchNorm's is.
        total += (parameters(i) - r.cell().biasSize(r.units())) * inputShape(i).steps();
      }
    }
    return total;
  }

  /** Trainable parameters of the whole model. */
  public long parameters() {
    long total = 0;
    for (int i = 0; i < layers.size(); i++) {
      total += parameters(i);
    }
    return total;
  }

  /**
   * The values all layers output for one example: what a forward pass keeps for the backward pass.
   */
  public long activationsPerExample() {
    return outputShapes().stream()
        .mapToLong(s -> (long) s.height() * s.width() * s.channels())
        .sum();
  }

  /**
   * {@code 784-1024-1024-10} for an MLP; an image model lists its layers: {@code
   * 28x28x1-conv32k3-pool2-conv64k3-pool2-256-10} ({@code bn} after a normalised layer).
   */
  public String widths() {
    List<String> parts = new ArrayList<>();
    parts.add(input.toString());
    for (LayerSpec layer : layers) {
      if (layer instanceof LayerSpec.Dense d) {
        parts.add(String.valueOf(d.units()));
      } else if (layer instanceof LayerSpec.Conv2D c) {
        parts.add(
            "conv" + c.filters() + "k" + c.size() + (c.stride() == 1 ? "" : "s" + c.stride()));
      } else if (layer instanceof LayerSpec.Recurrent r) {
        parts.add(
            r.cell().text()
                + r.units()
                + (r.sequences() ? "seq" : "")
                + (r.dropout().any() ? "(" + r.dropout().text() + ")" : ""));
      } else if (layer instanceof LayerSpec.MaxPool p) {
        parts.add("pool" + p.size());
      } else if (layer instanceof LayerSpec.BatchNorm) {
        parts.add("bn");
      }
    }
    return String.join("-", parts);
  }

  /**
   * The dropout methods used, in order (a recurrent layer's own as its name and settings, {@code
   * lstm_0: state=ydrop}), or {@code none}.
   */
  public String dropoutText() {
    List<String> names = layerNames();
    List<String> methods = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof LayerSpec.Dropout d) {
        methods.add(d.method().text());
      } else if (layers.get(i) instanceof LayerSpec.Recurrent r && r.dropout().any()) {
        methods.add(names.get(i) + ": " + r.dropout().text());
      }
    }
    List<String> distinct = methods.stream().distinct().toList();
    return distinct.isEmpty() ? "none" : String.join(" / ", distinct);
  }
}
