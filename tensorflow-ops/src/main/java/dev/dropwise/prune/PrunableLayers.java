package dev.dropwise.prune;

import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The layers pruning can shrink: every Dense and Conv2D layer but the output layer, with where each
 * sits in the model's layers and among the clean network's hidden layers (whose scores {@code
 * explain} gives; BatchNorm and dropout are no layers there, pooling and Flatten are).
 *
 * @param indices each layer's index in {@link ModelSpec#layers()}
 * @param hidden each layer's index among the network's hidden layers
 * @param units each layer's units (filters, for a convolution)
 */
public record PrunableLayers(List<Integer> indices, List<Integer> hidden, List<Integer> units) {

  /** The prunable layers of {@code spec}. */
  public static PrunableLayers of(ModelSpec spec) {
    List<Integer> indices = new ArrayList<>();
    List<Integer> hidden = new ArrayList<>();
    List<Integer> units = new ArrayList<>();
    int network = 0;
    for (int i = 0; i < spec.layers().size() - 1; i++) {
      LayerSpec layer = spec.layers().get(i);
      if (layer instanceof LayerSpec.BatchNorm || layer instanceof LayerSpec.Dropout) {
        continue;
      }
      int width = width(layer);
      if (width > 0) {
        indices.add(i);
        hidden.add(network);
        units.add(width);
      }
      network++;
    }
    return new PrunableLayers(List.copyOf(indices), List.copyOf(hidden), List.copyOf(units));
  }

  /** The number of prunable layers. */
  public int size() {
    return indices.size();
  }

  /** The units of a Dense layer, the filters of a Conv2D, else 0. */
  static int width(LayerSpec layer) {
    return layer instanceof LayerSpec.Dense d
        ? d.units()
        : layer instanceof LayerSpec.Conv2D c ? c.filters() : 0;
  }
}
