package dev.dropwise.network;

import java.util.HashMap;
import java.util.Map;

/**
 * The one naming scheme of a model's layers, used by its variables, its op scopes, checkpoints,
 * exports, the DSL's summary and the charts: a layer is its kind and its count among the layers of
 * that kind ({@code dense_0}, {@code conv_1}, {@code pool_0}, {@code dropout_2}); its variables are
 * {@code <layer>_kernel} and {@code <layer>_bias} (a recurrent layer's also {@code
 * <layer>_recurrent_kernel}), a BatchNorm's {@code <normalised layer>_bn_gamma} and so on.
 */
public final class LayerNames {
  private final Map<String, Integer> counts = new HashMap<>();

  /** The next layer of {@code kind}: {@code kind_0}, then {@code kind_1}, ... */
  public String next(String kind) {
    return kind + "_" + (counts.merge(kind, 1, Integer::sum) - 1);
  }

  /** The kernel variable of {@code layer}. */
  public static String kernel(String layer) {
    return layer + "_kernel";
  }

  /** The bias variable of {@code layer}. */
  public static String bias(String layer) {
    return layer + "_bias";
  }

  /** The recurrent kernel variable of a recurrent {@code layer}. */
  public static String recurrentKernel(String layer) {
    return layer + "_recurrent_kernel";
  }

  /**
   * A variable of the BatchNorm that normalises {@code layer}: {@code part} is gamma, beta,
   * moving_mean or moving_variance.
   */
  public static String norm(String layer, String part) {
    return layer + "_bn_" + part;
  }
}
