package dev.dropwise.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.util.Errors;
import dev.dropwise.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    return new KotlinDlLayers(dir).read(layers);
  }
}
