package dev.dropwise.prune;

import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.LayerNames;
import dev.dropwise.util.ParameterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Removes whole hidden units from a network of dense layers, physically: a removed unit's column
 * leaves its layer's kernel and bias (and its BatchNorm's four vectors), and its row leaves the
 * next layer's kernel. The smaller network computes exactly what the original computes with those
 * units' outputs set to zero at inference (what the robustness analysis removes), since a zero
 * output adds nothing to the next layer. Dropout and BatchNorm layers stay where they are. Only the
 * network's variables are carried: state a method keeps per unit (frozen drop rates) is not.
 *
 * <p>Convolutions are refused for now: removing a channel also has to reach the pooling and the
 * Flatten after it.
 */
public final class UnitSurgery {
  private UnitSurgery() {}

  /** A network and the values of its variables, by name ({@link LayerNames}). */
  public record Pruned(ModelSpec spec, Map<String, float[]> weights) {}

  /**
   * {@code spec} with weights {@code weights} keeping, of its i-th hidden dense layer, the units
   * {@code kept.get(i)} (ascending, distinct, at least one); the output layer keeps every unit.
   */
  public static Pruned keep(ModelSpec spec, Map<String, float[]> weights, List<int[]> kept) {
    check(spec);
    List<String> names = spec.layerNames();
    int hidden = spec.denseLayers().size() - 1;
    if (kept.size() != hidden) {
      throw new ParameterException(
          "kept",
          kept.size() + " lists",
          "give one list of units for each of the " + hidden + " hidden dense layers");
    }
    List<LayerSpec> layers = new ArrayList<>();
    Map<String, float[]> out = new LinkedHashMap<>();
    int[] rows = IntStream.range(0, spec.inputs()).toArray();
    int inputs = spec.inputs();
    int dense = 0;
    for (int i = 0; i < spec.layers().size(); i++) {
      LayerSpec layer = spec.layers().get(i);
      if (!(layer instanceof LayerSpec.Dense d)) {
        layers.add(layer);
        continue;
      }
      String name = names.get(i);
      int[] columns =
          dense < hidden
              ? checked(name, kept.get(dense), d.units())
              : IntStream.range(0, d.units()).toArray();
      float[] kernel = value(weights, LayerNames.kernel(name), inputs * d.units());
      out.put(LayerNames.kernel(name), select(kernel, d.units(), rows, columns));
      out.put(
          LayerNames.bias(name), pick(value(weights, LayerNames.bias(name), d.units()), columns));
      boolean normalised =
          i + 1 < spec.layers().size() && spec.layers().get(i + 1) instanceof LayerSpec.BatchNorm;
      if (normalised) {
        for (String part : new String[] {"gamma", "beta", "moving_mean", "moving_variance"}) {
          String variable = LayerNames.norm(name, part);
          out.put(variable, pick(value(weights, variable, d.units()), columns));
        }
      }
      layers.add(new LayerSpec.Dense(columns.length, d.activation(), d.initializer()));
      rows = columns;
      inputs = d.units();
      dense++;
    }
    return new Pruned(new ModelSpec(spec.input(), layers), out);
  }

  /** Refuses a network with layers other than dense, BatchNorm and dropout ones. */
  public static void check(ModelSpec spec) {
    for (LayerSpec layer : spec.layers()) {
      if (!(layer instanceof LayerSpec.Dense
          || layer instanceof LayerSpec.BatchNorm
          || layer instanceof LayerSpec.Dropout)) {
        throw new IllegalArgumentException(
            "pruning removes units of dense layers; this model has a "
                + layer.name()
                + " layer, and removing channels of convolutions is not supported yet");
      }
    }
  }

  /** The units of layer {@code name} to keep, refused unless ascending and within its units. */
  private static int[] checked(String name, int[] units, int count) {
    if (units.length == 0) {
      throw new ParameterException(name, "no unit", "a layer keeps at least one of its units");
    }
    for (int k = 0; k < units.length; k++) {
      if (units[k] < 0 || units[k] >= count || (k > 0 && units[k] <= units[k - 1])) {
        throw new ParameterException(
            name,
            Arrays.toString(units),
            "units to keep are distinct, ascending, in [0, " + count + ")");
      }
    }
    return units;
  }

  /** The variable {@code name} of {@code size} values, refused when missing or of another size. */
  private static float[] value(Map<String, float[]> weights, String name, int size) {
    float[] v = weights.get(name);
    if (v == null || v.length != size) {
      throw new IllegalArgumentException(
          "the weights have no variable " + name + " of " + size + " values, as the model's is");
    }
    return v;
  }

  /** The rows {@code rows} and columns {@code columns} of a row-major kernel of {@code width}. */
  private static float[] select(float[] kernel, int width, int[] rows, int[] columns) {
    float[] out = new float[rows.length * columns.length];
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < columns.length; c++) {
        out[r * columns.length + c] = kernel[rows[r] * width + columns[c]];
      }
    }
    return out;
  }

  private static float[] pick(float[] values, int[] indices) {
    float[] out = new float[indices.length];
    for (int k = 0; k < indices.length; k++) {
      out[k] = values[indices[k]];
    }
    return out;
  }
}
