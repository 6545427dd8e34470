package dev.dropwise.model;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.FrozenDropout;
import dev.dropwise.dropout.ImportanceGuided;
import dev.dropwise.dropout.LiveDropout;
import dev.dropwise.dropout.NoDropout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The specs a {@link ServingGraph}'s Monte Carlo passes run: the trained spec with its stand-ins
 * (frozen rates, a schedule's last rate), the same with one mask for the whole batch ({@link
 * SharedMask}), and with the importance-guided layers drawn live ({@link LiveDropout}).
 */
final class MonteCarloSpecs {
  private MonteCarloSpecs() {}

  /**
   * {@code spec} with the dropout layers at the indices of {@code sampledAs} replaced by those
   * methods, each of which must run from a seed alone.
   */
  static ModelSpec sampledAs(ModelSpec spec, Map<Integer, DropoutSpec> sampledAs) {
    if (sampledAs.isEmpty()) {
      return spec;
    }
    List<LayerSpec> layers = new ArrayList<>(spec.layers());
    sampledAs.forEach(
        (index, method) -> {
          if (!(layers.get(index) instanceof LayerSpec.Dropout) || !method.monteCarloAtServing()) {
            throw new IllegalArgumentException(
                method.text()
                    + " cannot be sampled in place of layer "
                    + index
                    + ", "
                    + layers.get(index).text());
          }
          layers.set(index, new LayerSpec.Dropout(method));
        });
    return new ModelSpec(spec.input(), layers);
  }

  /**
   * {@code spec} with each dropout layer drawing one mask for the whole batch, or null where a
   * layer cannot (dropout on a feature map or inside a recurrent layer, a method whose output is
   * more than its input times a mask).
   */
  static ModelSpec sharedMasks(ModelSpec spec) {
    List<LayerSpec> layers = new ArrayList<>(spec.layers());
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec layer = layers.get(i);
      if (layer instanceof LayerSpec.Recurrent r && r.dropout().any()) {
        return null;
      }
      if (layer instanceof LayerSpec.Dropout d && !(d.method() instanceof NoDropout)) {
        if (!SharedMask.applies(d.method(), !spec.inputShape(i).map())) {
          return null;
        }
        layers.set(i, new LayerSpec.Dropout(new SharedMask(d.method())));
      }
    }
    return new ModelSpec(spec.input(), layers);
  }

  /**
   * {@code sampled} with each frozen importance-guided layer drawn live ({@link LiveDropout}), or
   * null where there is none or one cannot be (a measure with a label target, a feature map).
   */
  static ModelSpec live(ModelSpec sampled) {
    List<LayerSpec> layers = new ArrayList<>(sampled.layers());
    boolean any = false;
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof LayerSpec.Dropout d
          && d.method() instanceof FrozenDropout frozen
          && frozen.original() instanceof ImportanceGuided) {
        if (!LiveDropout.canSample(frozen.original()) || sampled.inputShape(i).map()) {
          return null;
        }
        layers.set(i, new LayerSpec.Dropout(new LiveDropout(frozen)));
        any = true;
      }
    }
    return any ? new ModelSpec(sampled.input(), layers) : null;
  }
}
