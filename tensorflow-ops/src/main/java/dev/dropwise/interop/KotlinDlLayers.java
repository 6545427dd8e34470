package dev.dropwise.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The conversion of a KotlinDL model config to a dropwise model, layer by layer; the weights are
 * {@link KotlinDlVariables}'.
 */
final class KotlinDlLayers {
  private final Path dir;
  private final List<LayerSpec> specs = new ArrayList<>();

  /**
   * For each Dense, Conv2D and BatchNorm in {@link #specs}: the KotlinDL layer whose variables it
   * takes.
   */
  private final Map<Integer, String> sources = new LinkedHashMap<>();

  /**
   * What each KotlinDL layer became: a layer of {@link #specs} (its index; -1 for none) or a text.
   */
  private record Pending(String name, String className, int layer, String text) {}

  private final List<Pending> mappings = new ArrayList<>();
  private FeatureShape input;

  /**
   * Whether the last layer is a linear Dense or Conv2D, open for a BatchNorm or an Activation layer
   * to complete it.
   */
  private boolean open;

  /** Whether the layer so far puts out a feature map (else flat features). */
  private boolean map;

  KotlinDlLayers(Path dir) {
    this.dir = dir;
  }

  KotlinDlModel read(JsonNode layers) throws IOException {
    for (int i = 0; i < layers.size(); i++) {
      layer(layers.get(i), i, layers.size());
    }
    if (specs.isEmpty() || !(specs.get(specs.size() - 1) instanceof LayerSpec.Dense)) {
      throw new IOException(
          dir.resolve(KotlinDlModel.CONFIG)
              + ": the last layer must be Dense (the logits), "
              + "as dropwise's classifiers end");
    }
    ModelSpec spec;
    try {
      spec = new ModelSpec(input, specs);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          dir.resolve(KotlinDlModel.CONFIG)
              + ": the layers do not form a model dropwise can build: "
              + e.getMessage(),
          e);
    }
    // A layer's text is read now: a later Activation layer may have set its activation.
    List<KotlinDlModel.Mapping> mapped =
        mappings.stream()
            .map(
                m ->
                    new KotlinDlModel.Mapping(
                        m.name(),
                        m.className(),
                        m.layer() >= 0 ? specs.get(m.layer()).text() : m.text()))
            .toList();
    return new KotlinDlModel(
        spec,
        new StartingWeights(dir.toString(), new KotlinDlVariables(dir).read(spec, sources)),
        mapped);
  }

  private void layer(JsonNode entry, int index, int count) throws IOException {
    String className = entry.path("class_name").asText();
    JsonNode c = entry.path("config");
    String name = c.path("name").asText("layer " + index);
    if (input == null && !className.equals("InputLayer")) {
      throw refused(name, className, "the first layer must be the InputLayer");
    }
    switch (className) {
      case "InputLayer" -> {
        JsonNode shape = c.path("batch_input_shape");
        List<Integer> dims = new ArrayList<>();
        for (int d = 1; d < shape.size(); d++) {
          dims.add(shape.get(d).asInt());
        }
        if (dims.size() == 3) {
          input = FeatureShape.map(dims.get(0), dims.get(1), dims.get(2));
        } else if (dims.size() == 1) {
          input = FeatureShape.flat(dims.get(0));
        } else {
          throw refused(
              name,
              className,
              "its input shape "
                  + shape
                  + " is neither [null, features] nor "
                  + "[null, height, width, channels]");
        }
        map(name, className, "input " + input);
        map = input.map();
      }
      case "Flatten" -> {
        if (specs.isEmpty() && input.map()) {
          // Flattening the input in HWC order is the row-major order of the flat input: it
          // becomes one.
          input = FeatureShape.flat(input.size());
          map(name, className, "flat input " + input);
        } else {
          add(name, className, new LayerSpec.Flatten());
        }
        open = false;
        map = false;
      }
      case "Dense" -> {
        if (map) {
          // Keras applies such a Dense layer at every position of the map; dropwise's flattens
          // the map first.
          throw refused(
              name, className, "it receives a feature map; put a Flatten layer before it");
        }
        boolean output = index == count - 1;
        Activation activation =
            activation(name, className, c.path("activation").asText("linear"), output);
        requireBias(name, className, c);
        add(
            name,
            className,
            new LayerSpec.Dense(
                count(name, className, "units", c),
                activation,
                output
                    ? LayerSpec.OUTPUT_INITIALIZER
                    : Initializer.parse(LayerSpec.HIDDEN_INITIALIZER)));
        sources.put(specs.size() - 1, name);
        open = activation == Activation.LINEAR;
      }
      case "Conv2D" -> {
        int size = square(name, className, "kernel_size", c.path("kernel_size"));
        int stride = square(name, className, "strides", c.path("strides"));
        if (c.has("dilation_rate")
            && square(name, className, "dilation_rate", c.path("dilation_rate")) != 1) {
          throw refused(
              name, className, "its dilation_rate " + c.path("dilation_rate") + " is not [1, 1]");
        }
        if (!c.path("padding").asText("same").equalsIgnoreCase("same")) {
          throw refused(
              name,
              className,
              "its padding is '" + c.path("padding").asText() + "'; dropwise's Conv2D pads 'same'");
        }
        requireBias(name, className, c);
        Activation activation =
            activation(name, className, c.path("activation").asText("linear"), false);
        add(
            name,
            className,
            new LayerSpec.Conv2D(
                count(name, className, "filters", c),
                size,
                stride,
                activation,
                Initializer.parse(LayerSpec.HIDDEN_INITIALIZER)));
        sources.put(specs.size() - 1, name);
        open = activation == Activation.LINEAR;
        map = true;
      }
      case "MaxPooling2D" -> {
        int pool = square(name, className, "pool_size", c.path("pool_size"));
        int stride = square(name, className, "strides", c.path("strides"));
        if (pool != stride || !c.path("padding").asText("valid").equalsIgnoreCase("valid")) {
          throw refused(
              name,
              className,
              "it pools "
                  + pool
                  + "x"
                  + pool
                  + " with stride "
                  + stride
                  + " and padding '"
                  + c.path("padding").asText()
                  + "'; dropwise's max pooling has stride = pool size and padding 'valid'");
        }
        add(name, className, new LayerSpec.MaxPool(pool));
        open = false;
      }
      case "BatchNormalization" -> {
        LayerSpec last = specs.isEmpty() ? null : specs.get(specs.size() - 1);
        if (!open || !(last instanceof LayerSpec.Dense || last instanceof LayerSpec.Conv2D)) {
          throw refused(
              name,
              className,
              "dropwise normalises a Dense or Conv2D layer's pre-activation, so it takes "
                  + "a BatchNormalization only right after such a layer with linear activation (then an Activation layer)");
        }
        if (!c.path("center").asBoolean(true) || !c.path("scale").asBoolean(true)) {
          throw refused(name, className, "center and scale must both be on");
        }
        add(
            name,
            className,
            new LayerSpec.BatchNorm(
                c.path("momentum").asDouble(0.99), c.path("epsilon").asDouble(1e-3)));
        sources.put(specs.size() - 1, name);
      }
      case "Activation" -> {
        LayerSpec last = specs.isEmpty() ? null : specs.get(specs.size() - 1);
        int linear = last instanceof LayerSpec.BatchNorm ? specs.size() - 2 : specs.size() - 1;
        if (!open || linear < 0) {
          throw refused(
              name,
              className,
              "dropwise applies an activation as part of a Dense or Conv2D layer, so it "
                  + "takes an Activation layer only after a linear one (or its BatchNormalization)");
        }
        Activation activation = activation(name, className, c.path("activation").asText(), false);
        specs.set(linear, withActivation(specs.get(linear), activation));
        map(name, className, "");
        open = false;
      }
      case "Dropout" -> {
        // KotlinDL's rate is a float written as a double (0.3 as 0.30000001192092896): read it
        // back as one.
        float rate = (float) c.path("rate").asDouble();
        if (!(rate > 0 && rate < 1)) {
          throw refused(name, className, "its rate " + rate + " is not in (0, 1)");
        }
        add(name, className, new LayerSpec.Dropout(DropoutSpec.parse("standard:p=" + rate)));
      }
      default ->
          throw refused(
              name,
              className,
              "dropwise imports the layer classes "
                  + String.join(", ", KotlinDlModel.LAYER_CLASSES));
    }
  }

  private void add(String name, String className, LayerSpec layer) {
    specs.add(layer);
    mappings.add(new Pending(name, className, specs.size() - 1, null));
  }

  private void map(String name, String className, String dropwise) {
    mappings.add(new Pending(name, className, -1, dropwise));
  }

  private static LayerSpec withActivation(LayerSpec layer, Activation activation) {
    if (layer instanceof LayerSpec.Dense d) {
      return new LayerSpec.Dense(d.units(), activation, d.initializer());
    }
    LayerSpec.Conv2D c = (LayerSpec.Conv2D) layer;
    return new LayerSpec.Conv2D(c.filters(), c.size(), c.stride(), activation, c.initializer());
  }

  private IOException refused(String name, String className, String why) {
    return new IOException(
        "layer '"
            + name
            + "' ("
            + className
            + ") of "
            + dir.resolve(KotlinDlModel.CONFIG)
            + " cannot be imported: "
            + why);
  }

  private void requireBias(String name, String className, JsonNode c) throws IOException {
    if (!c.path("use_bias").asBoolean(true)) {
      throw refused(
          name, className, "it has no bias (use_bias false); dropwise's layers always have one");
    }
  }

  private Activation activation(String name, String className, String keras, boolean output)
      throws IOException {
    String text = keras.toLowerCase(Locale.ROOT);
    if (output && text.equals("softmax")) {
      return Activation.LINEAR; // the logits: dropwise's serving graph applies the softmax itself
    }
    try {
      return Activation.parse(text);
    } catch (IllegalArgumentException e) {
      throw refused(
          name,
          className,
          "its activation '"
              + keras
              + "' is not one of dropwise's: "
              + e.getMessage()
              + (output ? "" : " (softmax only on the output layer)"));
    }
  }

  /** The layer's {@code field}, a whole number of units from 1 up: anything else is refused. */
  private int count(String name, String className, String field, JsonNode c) throws IOException {
    JsonNode value = c.path(field);
    if (!Json.isCount(value)) {
      throw refused(
          name,
          className,
          "its "
              + field
              + " "
              + (value.isMissingNode()
                  ? "is missing"
                  : value + " is not a whole number from 1 to " + Integer.MAX_VALUE));
    }
    return value.asInt();
  }

  private int square(String name, String className, String what, JsonNode pair) throws IOException {
    if (!pair.isArray()
        || pair.size() != 2
        || pair.get(0).asInt() != pair.get(1).asInt()
        || pair.get(0).asInt() < 1) {
      throw refused(name, className, "its " + what + " " + pair + " is not a square [n, n]");
    }
    return pair.get(0).asInt();
  }
}
