package dev.dropwise.prune;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.FrozenDropout;
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
 * Removes whole hidden units and channels from a network, physically: a removed unit's column
 * leaves its layer's kernel and bias (a removed channel its filter), and its BatchNorm's four
 * vectors; its rows leave the next layer's kernel — for a convolution the input channel of every
 * kernel position, for a Dense layer after a Flatten the channel's value at every position of the
 * flattened map (laid out height, width, channel). Pooling passes channels through. The smaller
 * network computes exactly what the original computes with those units' outputs set to zero at
 * inference (what the robustness analysis removes), since a zero output adds nothing to the layers
 * after it. Dropout and BatchNorm layers stay where they are, and the per-unit rates an
 * importance-guided layer's Monte Carlo passes sample (frozen) keep those of the units that stay.
 */
public final class UnitSurgery {
  private UnitSurgery() {}

  /**
   * A network, the values of its variables by name ({@link LayerNames}), and what its Monte Carlo
   * passes sample in place of dropout layers (by index; a frozen layer's rates are per unit).
   */
  public record Pruned(
      ModelSpec spec, Map<String, float[]> weights, Map<Integer, DropoutSpec> sampledAs) {}

  /**
   * {@code spec} with weights {@code weights} keeping, of its i-th prunable layer ({@link
   * PrunableLayers}), the units {@code kept.get(i)} (ascending, distinct, at least one); the output
   * layer keeps every unit. No dropout layer has a stand-in.
   */
  public static Pruned keep(ModelSpec spec, Map<String, float[]> weights, List<int[]> kept) {
    return keep(spec, weights, Map.of(), kept);
  }

  /**
   * As {@link #keep(ModelSpec, Map, List)}, carrying the Monte Carlo stand-ins {@code sampledAs}: a
   * frozen layer keeps the rates and scales of the units that stay.
   */
  public static Pruned keep(
      ModelSpec spec,
      Map<String, float[]> weights,
      Map<Integer, DropoutSpec> sampledAs,
      List<int[]> kept) {
    PrunableLayers prunable = PrunableLayers.of(spec);
    if (kept.size() != prunable.size()) {
      throw new ParameterException(
          "kept",
          kept.size() + " lists",
          "give one list of units for each of the " + prunable.size() + " hidden layers");
    }
    List<String> names = spec.layerNames();
    List<LayerSpec> layers = new ArrayList<>();
    Map<String, float[]> out = new LinkedHashMap<>();
    Map<Integer, DropoutSpec> standIns = new LinkedHashMap<>();
    int channels = spec.input().channels(); // of the tensor a layer receives, before pruning
    int[] present = IntStream.range(0, channels).toArray(); // which of them are kept
    for (int i = 0; i < spec.layers().size(); i++) {
      LayerSpec layer = spec.layers().get(i);
      int units = PrunableLayers.width(layer);
      if (layer instanceof LayerSpec.Recurrent r) {
        // Kept whole: its units are not pruned, and what it receives (the input, or another
        // recurrent layer) never is.
        String name = names.get(i);
        int width = r.cell().gates() * r.units();
        out.put(
            LayerNames.kernel(name),
            value(weights, LayerNames.kernel(name), spec.inputShape(i).channels() * width));
        out.put(
            LayerNames.recurrentKernel(name),
            value(weights, LayerNames.recurrentKernel(name), r.units() * width));
        out.put(
            LayerNames.bias(name),
            value(weights, LayerNames.bias(name), r.cell().biasSize(r.units())));
        layers.add(layer);
        channels = r.units();
        present = IntStream.range(0, channels).toArray();
        continue;
      }
      if (units == 0) {
        layers.add(layer);
        DropoutSpec standIn = sampledAs.get(i);
        if (standIn instanceof FrozenDropout f) {
          int[] stay = rows(f.rates().length, channels, present);
          standIn = new FrozenDropout(f.original(), pick(f.rates(), stay), pick(f.scales(), stay));
        }
        if (standIn != null) {
          standIns.put(i, standIn);
        }
        continue;
      }
      String name = names.get(i);
      int at = prunable.indices().indexOf(i);
      int[] columns =
          at >= 0 ? checked(name, kept.get(at), units) : IntStream.range(0, units).toArray();
      int rows =
          layer instanceof LayerSpec.Conv2D c
              ? c.size() * c.size() * channels
              : spec.inputShape(i).size();
      float[] kernel = value(weights, LayerNames.kernel(name), rows * units);
      out.put(
          LayerNames.kernel(name), select(kernel, units, rows(rows, channels, present), columns));
      out.put(LayerNames.bias(name), pick(value(weights, LayerNames.bias(name), units), columns));
      boolean normalised =
          i + 1 < spec.layers().size() && spec.layers().get(i + 1) instanceof LayerSpec.BatchNorm;
      if (normalised) {
        for (String part : new String[] {"gamma", "beta", "moving_mean", "moving_variance"}) {
          String variable = LayerNames.norm(name, part);
          out.put(variable, pick(value(weights, variable, units), columns));
        }
      }
      layers.add(
          layer instanceof LayerSpec.Conv2D c
              ? new LayerSpec.Conv2D(
                  columns.length, c.size(), c.stride(), c.activation(), c.initializer())
              : new LayerSpec.Dense(
                  columns.length,
                  ((LayerSpec.Dense) layer).activation(),
                  ((LayerSpec.Dense) layer).initializer()));
      channels = units;
      present = columns;
    }
    return new Pruned(new ModelSpec(spec.input(), layers), out, standIns);
  }

  /**
   * The kernel rows that stay when a layer receives only the channels {@code present} of {@code
   * channels}: its {@code rows} are positions (of a convolution's window, or of a flattened map)
   * times channels, channel fastest.
   */
  private static int[] rows(int rows, int channels, int[] present) {
    int positions = rows / channels;
    int[] out = new int[positions * present.length];
    for (int p = 0; p < positions; p++) {
      for (int k = 0; k < present.length; k++) {
        out[p * present.length + k] = p * channels + present[k];
      }
    }
    return out;
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
