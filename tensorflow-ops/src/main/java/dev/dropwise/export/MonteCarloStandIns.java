package dev.dropwise.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.FrozenDropout;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an export's Monte Carlo passes sample in place of the dropout layers that cannot run as they
 * trained (a scheduled method at its last rate, an importance-guided one at its frozen per-unit
 * rates), as the metadata keeps it in {@value #FIELD}, so that a model made from the export (a
 * pruned copy) can sample the same way: one entry per layer, {@code {"layer": i, "method": text}}
 * or {@code {"layer": i, "frozen": text, "rates": [...], "scales": [...]}}.
 */
final class MonteCarloStandIns {
  private MonteCarloStandIns() {}

  static final String FIELD = "monteCarloLayers";

  /** {@code sampledAs} (by layer index) as the metadata writes it. */
  static List<Map<String, Object>> toMetadata(Map<Integer, DropoutSpec> sampledAs) {
    List<Map<String, Object>> out = new ArrayList<>();
    sampledAs.forEach(
        (layer, method) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("layer", layer);
          if (method instanceof FrozenDropout f) {
            entry.put("frozen", f.original().text());
            entry.put("rates", f.rates());
            entry.put("scales", f.scales());
          } else {
            entry.put("method", method.text());
          }
          out.add(entry);
        });
    return out;
  }

  /**
   * The stand-ins {@code node} records for the dropout layers of {@code spec} (the model as
   * trained); refused, with what is wrong, unless each names a dropout layer of {@code spec} once
   * and a method, or frozen rates in [0, 1] and scales of at least 0 that fit the layer's units.
   */
  static Map<Integer, DropoutSpec> fromMetadata(JsonNode node, ModelSpec spec) {
    if (!node.isArray()) {
      throw new IllegalArgumentException("is not a list of layers");
    }
    Map<Integer, DropoutSpec> out = new LinkedHashMap<>();
    for (JsonNode entry : node) {
      JsonNode layer = entry.get("layer");
      if (layer == null || !layer.canConvertToInt() || !layer.isIntegralNumber()) {
        throw new IllegalArgumentException("holds an entry without a whole-number layer: " + entry);
      }
      int index = layer.asInt();
      if (index < 0
          || index >= spec.layers().size()
          || !(spec.layers().get(index) instanceof LayerSpec.Dropout)
          || out.containsKey(index)) {
        throw new IllegalArgumentException(
            "names layer "
                + index
                + ", which is not a dropout layer of the model, or names it twice");
      }
      DropoutSpec method;
      if (entry.has("frozen")) {
        method =
            new FrozenDropout(
                DropoutSpec.parse(entry.get("frozen").asText()),
                floats(entry.get("rates")),
                floats(entry.get("scales")));
        for (float scale : ((FrozenDropout) method).scales()) {
          if (!(scale >= 0 && Float.isFinite(scale))) {
            throw new IllegalArgumentException(
                "holds a kept scale of " + scale + " for layer " + index + ": scales are >= 0");
          }
        }
        method.checkInput(spec.inputShape(index));
      } else if (entry.has("method") && entry.get("method").isTextual()) {
        method = DropoutSpec.parse(entry.get("method").asText());
        method.checkInput(spec.inputShape(index));
      } else {
        throw new IllegalArgumentException(
            "holds an entry for layer " + index + " with neither a method nor frozen rates");
      }
      out.put(index, method);
    }
    return out;
  }

  private static float[] floats(JsonNode node) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException("frozen rates and scales are lists of numbers");
    }
    float[] out = new float[node.size()];
    for (int i = 0; i < out.length; i++) {
      if (!node.get(i).isNumber()) {
        throw new IllegalArgumentException("frozen rates and scales are lists of numbers");
      }
      out[i] = (float) node.get(i).asDouble();
    }
    return out;
  }
}
