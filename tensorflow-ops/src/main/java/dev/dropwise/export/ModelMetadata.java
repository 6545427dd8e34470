package dev.dropwise.export;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.data.DataFormatException;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.WeightStore;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.util.Errors;
import dev.dropwise.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

/**
 * An export's {@value SavedModelExport#METADATA}, checked against what dropwise writes and against
 * the SavedModel's graph when it is loaded, so that a file edited by hand or damaged is refused
 * with the field that is wrong, before any data is fed: a missing {@code preprocessing} would have
 * raw inputs scaled twice, class names that disagree with the graph would score one class as
 * another, a network that disagrees with the weights would read past them. Fields that exports of
 * earlier versions lack ({@code network}, {@code trainingLayers}, {@code classNames}, {@code
 * preprocessing} of a graph that does not scale) may be absent; a field that is present must be
 * right.
 */
final class ModelMetadata {
  private final Path file;
  private final JsonNode root;

  private ModelMetadata(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  /** Reads {@code dir}'s metadata; refused when it is missing, not JSON, or not a JSON object. */
  static ModelMetadata read(Path dir) throws IOException {
    Path file = dir.resolve(SavedModelExport.METADATA);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          dir
              + " holds no "
              + SavedModelExport.METADATA
              + ": it was not exported by dropwise, whose metadata records the model's layers");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new DataFormatException(file, "is not valid JSON: " + Errors.firstLine(e));
    }
    if (root == null || !root.isObject()) {
      throw new DataFormatException(file, "is not a JSON object of fields, as dropwise writes it");
    }
    return new ModelMetadata(file, root);
  }

  /**
   * Refuses metadata that disagrees with itself or with the SavedModel's {@code graph}: a model of
   * {@code inputs} features and {@code classes} classes, whose serving graph {@code scales} its raw
   * inputs or not.
   */
  void check(Graph graph, long inputs, long classes, boolean scales) throws IOException {
    if (root.has("inputs")) { // absent from the earliest exports, whose graph alone says the width
      int recordedInputs = positiveInt("inputs");
      if (recordedInputs != inputs) {
        throw refused(
            "inputs", recordedInputs + " features, but the model's graph takes " + inputs);
      }
    }
    if (has("input")) {
      FeatureShape shape = parsed("input", () -> FeatureShape.parse(text("input")));
      if (shape.size() != inputs) {
        throw refused(
            "input",
            "the shape "
                + shape
                + " holds "
                + shape.size()
                + " values, but the model takes "
                + inputs);
      }
    }
    if (has("network")) {
      ModelSpec network = network();
      if (network.classes() != classes) {
        throw refused(
            "network",
            "is a model of "
                + network.classes()
                + " classes, but the model's graph has "
                + classes);
      }
      checkVariables(graph, network);
    } else if (root.has("activations")) {
      activations(); // an export from before the network was recorded: its Dense layers'
      // activations
    }
    if (has("trainingLayers")) {
      for (String layer : texts("trainingLayers")) {
        parsed("trainingLayers", () -> LayerSpec.parse(layer));
      }
      if (has("input")) {
        monteCarloLayers(
            parsed(
                "trainingLayers",
                () ->
                    new ModelSpec(
                        FeatureShape.parse(text("input")),
                        texts("trainingLayers").stream().map(LayerSpec::parse).toList())));
      }
    }
    if (has("classNames")) {
      List<String> names = texts("classNames");
      if (names.size() != classes) {
        throw refused(
            "classNames",
            "holds "
                + names.size()
                + " name"
                + (names.size() == 1 ? "" : "s")
                + " for a model of "
                + classes
                + " classes");
      }
      if (new HashSet<>(names).size() != names.size()) {
        throw refused("classNames", "a name appears twice in " + names);
      }
    }
    temperature();
    List<String> held = oodClasses();
    if (!held.isEmpty() && (!has("classNames") || !texts("classNames").containsAll(held))) {
      throw refused("oodClasses", held + " are not all among the model's classNames");
    }
    Preprocessing preprocessing = preprocessing();
    if (scales != (preprocessing.scale() != Preprocessing.Scale.NONE)) {
      throw refused(
          "preprocessing",
          scales
              ? (has("preprocessing") ? "says the inputs are not scaled" : "is missing")
                  + ", but the model's serving graph scales its inputs (they would be scaled twice)"
              : "scales the inputs ("
                  + preprocessing
                  + "), but the model's serving graph does not");
    }
    int width = preprocessing.shift().length;
    if ((width != 1 && width != inputs) || preprocessing.divisor().length != width) {
      throw refused(
          "preprocessing",
          "its shift and divisor hold "
              + width
              + " and "
              + preprocessing.divisor().length
              + " values; a model of "
              + inputs
              + " features needs 1 or "
              + inputs
              + " of each");
    }
  }

  /** The model's network as recorded (call only when {@link #has} it). */
  ModelSpec network() throws IOException {
    String input = has("input") ? text("input") : String.valueOf(positiveInt("inputs"));
    String layers = text("network");
    return parsed("network", () -> ModelSpec.parseNetwork(input, layers));
  }

  /**
   * The activations an export from before {@code network} was recorded lists, one per Dense layer.
   */
  List<Activation> activations() throws IOException {
    List<Activation> out = new ArrayList<>();
    for (String a : texts("activations")) {
      out.add(parsed("activations", () -> Activation.parse(a)));
    }
    return out;
  }

  boolean has(String field) {
    return root.hasNonNull(field);
  }

  /** How the serving graph scales raw inputs; none when the field is absent. */
  Preprocessing preprocessing() throws IOException {
    if (!has("preprocessing")) {
      return Preprocessing.NONE;
    }
    JsonNode node = root.get("preprocessing");
    if (!node.isObject()) {
      throw refused("preprocessing", "is not an object with scale, shift and divisor");
    }
    return parsed(
        "preprocessing",
        () ->
            Preprocessing.fromMetadata(
                Json.MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {})));
  }

  /**
   * The temperature serving_default divides its logits by (temperature scaling); 1 when the field
   * is absent, as in every export not calibrated.
   */
  double temperature() throws IOException {
    if (!has("temperature")) {
      return 1;
    }
    JsonNode node = root.get("temperature");
    if (!node.isNumber() || !(node.asDouble() > 0) || !Double.isFinite(node.asDouble())) {
      throw refused("temperature", node + " is not a number > 0");
    }
    return node.asDouble();
  }

  /**
   * The names of the classes held out of training ({@code train --ood-classes}); empty when none
   * were, as in every export from before they were recorded.
   */
  List<String> oodClasses() throws IOException {
    return has("oodClasses") ? texts("oodClasses") : List.of();
  }

  /**
   * What the Monte Carlo passes sample in place of dropout layers of {@code trainingSpec} (by
   * index; {@link MonteCarloStandIns}); empty when nothing, as in exports from before they were
   * recorded.
   */
  Map<Integer, DropoutSpec> monteCarloLayers(ModelSpec trainingSpec) throws IOException {
    return has(MonteCarloStandIns.FIELD)
        ? parsed(
            MonteCarloStandIns.FIELD,
            () -> MonteCarloStandIns.fromMetadata(root.get(MonteCarloStandIns.FIELD), trainingSpec))
        : Map.of();
  }

  /** The class names, or null for an export from before they were recorded. */
  List<String> classNames() throws IOException {
    return has("classNames") ? texts("classNames") : null;
  }

  /**
   * The layers as trained, dropout included, or null for an export from before they were recorded.
   */
  List<String> trainingLayers() throws IOException {
    return has("trainingLayers") ? texts("trainingLayers") : null;
  }

  String text(String field) throws IOException {
    JsonNode node = root.get(field);
    if (node == null || !node.isTextual()) {
      throw refused(field, node == null || node.isNull() ? "is missing" : "is not a text");
    }
    return node.asText();
  }

  int positiveInt(String field) throws IOException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw refused(field, "is missing");
    }
    if (!Json.isCount(node)) {
      throw refused(field, node + " is not a whole number from 1 to " + Integer.MAX_VALUE);
    }
    return node.asInt();
  }

  private List<String> texts(String field) throws IOException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw refused(field, "is missing");
    }
    if (!node.isArray()) {
      throw refused(field, "is not a list of texts");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw refused(field, "holds " + item + ", which is not a text");
      }
      out.add(item.asText());
    }
    return out;
  }

  /**
   * Every variable the recorded network has must be in the graph with the shape the network gives
   * it: the shapes come from declaring the network's variables in a graph of their own.
   */
  private void checkVariables(Graph graph, ModelSpec network) throws IOException {
    try (Graph expected = new Graph()) {
      WeightStore.declared(Ops.create(expected), network);
      for (var it = expected.operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        if (!op.type().equals("VariableV2")) {
          continue;
        }
        GraphOperation actual = graph.operation(op.name());
        Shape want = op.output(0).shape();
        if (actual == null || !actual.output(0).shape().equals(want)) {
          throw refused(
              "network",
              "'"
                  + text("network")
                  + "' has a variable "
                  + op.name()
                  + " of shape "
                  + want
                  + ", but the model's graph "
                  + (actual == null
                      ? "has none of that name"
                      : "holds it with shape " + actual.output(0).shape()));
        }
      }
    }
  }

  /** A value parsed by {@code parse}, or the field refused with the parser's message. */
  private <T> T parsed(String field, Parse<T> parse) throws IOException {
    try {
      return parse.get();
    } catch (RuntimeException e) {
      throw refused(field, Errors.firstLine(e));
    }
  }

  private interface Parse<T> {
    T get() throws IOException;
  }

  private DataFormatException refused(String field, String problem) {
    return new DataFormatException(file, "field '" + field + "' " + problem);
  }
}
