package dev.dropwise.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.network.LayerNames;
import dev.dropwise.util.Errors;
import dev.dropwise.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model that KotlinDL saved with {@code SavingFormat.JSON_CONFIG_CUSTOM_VARIABLES}, read as a
 * dropwise model: {@code modelConfig.json} (Keras's JSON layer config) gives the layers, {@code
 * variableNames.txt} and one {@code <variable>.txt} per variable (one line of space-separated
 * floats, no shape) give the weights.
 *
 * <p>Keras's conventions are TensorFlow's, and so are dropwise's, so most of the import is a
 * renaming: Dense kernels are {@code [in, out]}, Conv2D kernels {@code [height, width, in, out]},
 * feature maps NHWC, and Flatten reads them in HWC order — the same row-major order dropwise's flat
 * inputs have. Where the two differ, the import converts:
 *
 * <ul>
 *   <li>A Flatten right after the input becomes a flat input: the pixels arrive in the same order,
 *       and flat data then needs no image shape.
 *   <li>dropwise normalises a layer's pre-activation ({@code activation(bn(x W + b))}); Keras puts
 *       BatchNormalization after a layer. The two agree when the layer is linear and an Activation
 *       layer follows the BatchNormalization, so that is the form imported; the Activation layer
 *       becomes the layer's activation.
 *   <li>A softmax output layer becomes linear: dropwise's logits are the pre-softmax values, and
 *       its serving graph applies the softmax for the probabilities.
 *   <li>Dropout (which KotlinDL 0.4.0 never applies: its masking code is commented out) becomes
 *       standard dropout at its rate, which now acts while training.
 * </ul>
 *
 * Anything else is refused with the layer's name and class.
 *
 * @param spec the model, its dropout layers included
 * @param weights its variables in dropwise's names
 * @param layers what each KotlinDL layer became, for the record
 */
public record KotlinDlModel(ModelSpec spec, StartingWeights weights, List<Mapping> layers) {
  /** The file with the model's layers as Keras's JSON config. */
  public static final String CONFIG = "modelConfig.json";

  /** The file listing the saved variables' names, one a line. */
  public static final String VARIABLE_NAMES = "variableNames.txt";

  /** The layer classes an import takes, as Keras names them. */
  public static final List<String> LAYER_CLASSES =
      List.of(
          "InputLayer",
          "Dense",
          "Conv2D",
          "MaxPooling2D",
          "Flatten",
          "BatchNormalization",
          "Activation",
          "Dropout");

  /**
   * One KotlinDL layer and what it became ({@code dropwise} empty when it folded into the layer
   * before).
   */
  public record Mapping(String name, String className, String dropwise) {}

  /** Reads the model KotlinDL saved in {@code dir}; every mistake names the file or the layer. */
  public static KotlinDlModel read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(
          "KotlinDL model directory "
              + dir
              + (Files.exists(dir) ? " is not a directory" : " does not exist"));
    }
    Path config = dir.resolve(CONFIG);
    if (!Files.isRegularFile(config)) {
      throw new IOException(
          dir
              + " holds no "
              + CONFIG
              + ": save the model with "
              + "model.save(dir, SavingFormat.JSON_CONFIG_CUSTOM_VARIABLES) (KotlinDL's default format, "
              + "TF_GRAPH_CUSTOM_VARIABLES, stores a TensorFlow 1 graph instead of the layers)");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(config.toFile());
    } catch (IOException e) {
      throw new IOException(config + " is not valid JSON: " + Errors.firstLine(e), e);
    }
    JsonNode layers = root.path("config").path("layers");
    if (!layers.isArray() || layers.isEmpty()) {
      throw new IOException(
          config + " has no config.layers list: it is not a KotlinDL or Keras model config");
    }
    return new Reader(dir).read(layers);
  }

  /** The conversion of one config, layer by layer. */
  private static final class Reader {
    private final Path dir;
    private final List<LayerSpec> specs = new ArrayList<>();

    /**
     * For each Dense, Conv2D and BatchNorm in {@link #specs}: the KotlinDL layer whose variables it
     * takes.
     */
    private final Map<Integer, String> sources = new LinkedHashMap<>();

    /**
     * What each KotlinDL layer became: a layer of {@link #specs} (its index; -1 for none) or a
     * text.
     */
    private record Pending(String name, String className, int layer, String text) {}

    private final List<Pending> mappings = new ArrayList<>();
    private FeatureShape input;

    /**
     * Whether the last layer is a linear Dense or Conv2D, open for a BatchNorm or an Activation
     * layer to complete it.
     */
    private boolean open;

    /** Whether the layer so far puts out a feature map (else flat features). */
    private boolean map;

    Reader(Path dir) {
      this.dir = dir;
    }

    KotlinDlModel read(JsonNode layers) throws IOException {
      for (int i = 0; i < layers.size(); i++) {
        layer(layers.get(i), i, layers.size());
      }
      if (specs.isEmpty() || !(specs.get(specs.size() - 1) instanceof LayerSpec.Dense)) {
        throw new IOException(
            dir.resolve(CONFIG)
                + ": the last layer must be Dense (the logits), "
                + "as dropwise's classifiers end");
      }
      ModelSpec spec;
      try {
        spec = new ModelSpec(input, specs);
      } catch (IllegalArgumentException e) {
        throw new IOException(
            dir.resolve(CONFIG)
                + ": the layers do not form a model dropwise can build: "
                + e.getMessage(),
            e);
      }
      // A layer's text is read now: a later Activation layer may have set its activation.
      List<Mapping> mapped =
          mappings.stream()
              .map(
                  m ->
                      new Mapping(
                          m.name(),
                          m.className(),
                          m.layer() >= 0 ? specs.get(m.layer()).text() : m.text()))
              .toList();
      return new KotlinDlModel(spec, new StartingWeights(dir.toString(), weights(spec)), mapped);
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
                "its padding is '"
                    + c.path("padding").asText()
                    + "'; dropwise's Conv2D pads 'same'");
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
                "dropwise imports the layer classes " + String.join(", ", LAYER_CLASSES));
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
              + dir.resolve(CONFIG)
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

    private int square(String name, String className, String what, JsonNode pair)
        throws IOException {
      if (!pair.isArray()
          || pair.size() != 2
          || pair.get(0).asInt() != pair.get(1).asInt()
          || pair.get(0).asInt() < 1) {
        throw refused(name, className, "its " + what + " " + pair + " is not a square [n, n]");
      }
      return pair.get(0).asInt();
    }

    /** The variables under dropwise's names, each checked against the shape its layer needs. */
    private Map<String, float[]> weights(ModelSpec spec) throws IOException {
      List<String> saved = savedVariableNames();
      List<String> names = spec.layerNames();
      Map<String, float[]> out = new LinkedHashMap<>();
      for (Map.Entry<Integer, String> e : sources.entrySet()) {
        int i = e.getKey();
        String from = e.getValue();
        LayerSpec layer = spec.layers().get(i);
        // KotlinDL names a variable <layer>_<kind>_<part>: dense_3_dense_kernel,
        // batchnorm_4_batch_norm_gamma.
        if (layer instanceof LayerSpec.BatchNorm) {
          long[] units = {units(spec.layers().get(i - 1))};
          for (String part : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
            out.put(
                LayerNames.norm(names.get(i - 1), part),
                variable(saved, from, from + "_batch_norm_" + part, units));
          }
        } else {
          FeatureShape in = spec.inputShape(i);
          String prefix = from + (layer instanceof LayerSpec.Conv2D ? "_conv2d_" : "_dense_");
          long[] kernel =
              layer instanceof LayerSpec.Conv2D c
                  ? new long[] {c.size(), c.size(), in.channels(), c.filters()}
                  : new long[] {in.size(), units(layer)};
          out.put(
              LayerNames.kernel(names.get(i)), variable(saved, from, prefix + "kernel", kernel));
          out.put(
              LayerNames.bias(names.get(i)),
              variable(saved, from, prefix + "bias", new long[] {units(layer)}));
        }
      }
      return out;
    }

    private static int units(LayerSpec layer) {
      return layer instanceof LayerSpec.Dense d ? d.units() : ((LayerSpec.Conv2D) layer).filters();
    }

    private List<String> savedVariableNames() throws IOException {
      Path file = dir.resolve(VARIABLE_NAMES);
      if (!Files.isRegularFile(file)) {
        throw new IOException(
            dir
                + " holds no "
                + VARIABLE_NAMES
                + ": it is not a model KotlinDL saved with "
                + "SavingFormat.JSON_CONFIG_CUSTOM_VARIABLES");
      }
      return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * The variable of {@code layer} that KotlinDL saved as {@code name}.txt, holding exactly the
     * values of {@code shape}.
     */
    private float[] variable(List<String> saved, String layer, String name, long[] shape)
        throws IOException {
      // KotlinDL names each variable's file after its layer: the name must keep the file in the
      // model's directory.
      Path home = dir.toAbsolutePath().normalize();
      Path file = home.resolve(name + ".txt").normalize();
      if (name.contains("/") || name.contains("\\") || !home.equals(file.getParent())) {
        throw new IOException(
            "layer '"
                + layer
                + "' of "
                + dir.resolve(CONFIG)
                + ": its name is not a plain file "
                + "name, as KotlinDL names the files of a layer's weights after it");
      }
      if (!saved.contains(name) || !Files.isRegularFile(file)) {
        throw new IOException(
            "layer '"
                + layer
                + "' needs the variable "
                + name
                + ", which "
                + dir
                + " does not hold ("
                + VARIABLE_NAMES
                + " lists "
                + String.join(", ", saved)
                + ")");
      }
      String[] tokens = Files.readString(file).trim().split("\\s+", -1);
      long needed = 1;
      for (long d : shape) {
        needed *= d;
      }
      String shapeText = Arrays.toString(shape);
      if (tokens.length != needed) {
        throw new IOException(
            "the weights of layer '"
                + layer
                + "' do not fit: "
                + file
                + " holds "
                + tokens.length
                + " values, the layer's "
                + shapeText
                + " needs "
                + needed);
      }
      float[] values = new float[tokens.length];
      for (int i = 0; i < tokens.length; i++) {
        try {
          values[i] = Float.parseFloat(tokens[i]);
        } catch (NumberFormatException e) {
          throw new IOException(
              file + ": value " + (i + 1) + " '" + tokens[i] + "' is not a number");
        }
        if (!Float.isFinite(values[i])) {
          throw new IOException(
              file
                  + ": value "
                  + (i + 1)
                  + " is "
                  + tokens[i]
                  + "; every weight must be a finite number");
        }
      }
      return values;
    }
  }
}
