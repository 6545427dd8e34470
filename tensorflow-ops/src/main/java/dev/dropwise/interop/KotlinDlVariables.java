package dev.dropwise.interop;

import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.LayerNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a model KotlinDL saved: {@code variableNames.txt} and one {@code <variable>.txt}
 * per variable, read under dropwise's names and checked against the shapes the layers need.
 */
final class KotlinDlVariables {
  private final Path dir;

  KotlinDlVariables(Path dir) {
    this.dir = dir;
  }

  /**
   * The variables of {@code spec}'s layers, by dropwise's names; {@code sources} names the KotlinDL
   * layer each layer index was read from.
   */
  Map<String, float[]> read(ModelSpec spec, Map<Integer, String> sources) throws IOException {
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
        out.put(LayerNames.kernel(names.get(i)), variable(saved, from, prefix + "kernel", kernel));
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
    Path file = dir.resolve(KotlinDlModel.VARIABLE_NAMES);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          dir
              + " holds no "
              + KotlinDlModel.VARIABLE_NAMES
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
              + dir.resolve(KotlinDlModel.CONFIG)
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
              + KotlinDlModel.VARIABLE_NAMES
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
        throw new IOException(file + ": value " + (i + 1) + " '" + tokens[i] + "' is not a number");
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
