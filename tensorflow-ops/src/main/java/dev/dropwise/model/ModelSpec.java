package dev.dropwise.model;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A sequential classifier: Dense and Dropout layers over a flat input, the last layer a Dense
 * layer whose outputs are the logits. Checked when made: a dropout method must fit the width it
 * follows.
 */
public record ModelSpec(int inputs, List<LayerSpec> layers) {

  public ModelSpec {
    if (inputs < 1) {
      throw new IllegalArgumentException("inputs=" + inputs + " is not allowed: must be >= 1");
    }
    layers = List.copyOf(layers);
    if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof LayerSpec.Dense)) {
      throw new IllegalArgumentException("a model must end with a Dense layer (the logits)");
    }
    for (int i = 0; i + 1 < layers.size(); i++) {
      if (layers.get(i) instanceof LayerSpec.Dropout d && d.method() instanceof dev.dropwise.dropout.DropConnect
          && !(layers.get(i + 1) instanceof LayerSpec.Dense)) {
        throw new IllegalArgumentException("DropConnect masks the next Dense layer's weights: layer " + (i + 1)
            + " must be followed by a Dense layer");
      }
    }
    int width = inputs;
    for (LayerSpec layer : layers) {
      if (layer instanceof LayerSpec.Dense d) {
        width = d.units();
      } else if (layer instanceof LayerSpec.Dropout drop) {
        drop.method().checkWidth(width);
      }
    }
  }

  /**
   * The usual MLP: hidden Dense layers, each followed by {@code dropout}, then a linear output
   * layer of {@code classes} units.
   */
  public static ModelSpec mlp(
      int inputs, List<Integer> hidden, Activation activation, Initializer initializer,
      DropoutSpec dropout, int classes) {
    List<LayerSpec> layers = new ArrayList<>();
    for (int units : hidden) {
      layers.add(new LayerSpec.Dense(units, activation, initializer));
      if (!(dropout instanceof NoDropout)) {
        layers.add(new LayerSpec.Dropout(dropout));
      }
    }
    layers.add(new LayerSpec.Dense(classes, Activation.LINEAR, Initializer.GLOROT_UNIFORM));
    return new ModelSpec(inputs, layers);
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

  /** {@code 784-1024-1024-10} style summary of the widths. */
  public String widths() {
    return inputs + "-" + denseLayers().stream().map(d -> String.valueOf(d.units())).collect(Collectors.joining("-"));
  }

  /** The dropout methods used, in order, or {@code none}. */
  public String dropoutText() {
    List<String> methods = layers.stream()
        .filter(LayerSpec.Dropout.class::isInstance)
        .map(l -> ((LayerSpec.Dropout) l).method().text())
        .distinct()
        .toList();
    return methods.isEmpty() ? "none" : String.join(" / ", methods);
  }
}
