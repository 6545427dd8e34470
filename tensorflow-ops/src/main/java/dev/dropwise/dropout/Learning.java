package dev.dropwise.dropout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * What a dropout method learns with the network: trainable variables the optimiser updates with the
 * weights, terms it adds to the training loss, and each layer's learned drop rate, for the history
 * and the export (Concrete dropout). A training graph collects one for all its layers; each layer
 * sees it through {@link #forLayer}.
 */
public final class Learning {
  private final Ops root;
  private final List<Variable<TFloat32>> trainable;
  private final List<Operand<TFloat32>> losses;
  private final Map<Integer, Operand<TFloat32>> rates;
  private final int layer;
  private final String layerName;

  /**
   * An empty collection for a training graph, whose variables it makes at the graph's root ({@code
   * root}): an optimiser names its slots after them, which a scope's '/' would break.
   */
  public Learning(Ops root) {
    this(root, new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>(), -1, null);
  }

  private Learning(
      Ops root,
      List<Variable<TFloat32>> trainable,
      List<Operand<TFloat32>> losses,
      Map<Integer, Operand<TFloat32>> rates,
      int layer,
      String layerName) {
    this.root = root;
    this.trainable = trainable;
    this.losses = losses;
    this.rates = rates;
    this.layer = layer;
    this.layerName = layerName;
  }

  /**
   * The same collection, as the dropout layer at {@code index} in the model's spec, named {@code
   * name} ({@code dropout_0}), sees it.
   */
  public Learning forLayer(int index, String name) {
    return new Learning(root, trainable, losses, rates, index, name);
  }

  /**
   * A variable trained with the weights, {@code initial} its start: named {@code <layer>_<name>}
   * ({@code dropout_0_p_logit}) at the graph's root, so that checkpoints and optimiser slots find
   * it.
   */
  public Variable<TFloat32> trainable(String name, Operand<TFloat32> initial) {
    if (layerName == null) {
      throw new IllegalStateException("a learned variable belongs to a layer: see forLayer");
    }
    Variable<TFloat32> variable = root.withName(layerName + "_" + name).variable(initial);
    trainable.add(variable);
    return variable;
  }

  /** Adds {@code term} (a scalar) to the training loss. */
  public void loss(Operand<TFloat32> term) {
    losses.add(term);
  }

  /** Records {@code rate} (a scalar) as this layer's learned drop rate. */
  public void rate(Operand<TFloat32> rate) {
    if (layer < 0) {
      throw new IllegalStateException("a learned rate belongs to a layer: see forLayer");
    }
    rates.put(layer, rate);
  }

  /** The variables to train with the weights. */
  public List<Variable<TFloat32>> trainable() {
    return List.copyOf(trainable);
  }

  /** The terms added to the training loss. */
  public List<Operand<TFloat32>> losses() {
    return List.copyOf(losses);
  }

  /** Each layer's learned rate, by the layer's index in the spec. */
  public Map<Integer, Operand<TFloat32>> rates() {
    return java.util.Collections.unmodifiableMap(rates);
  }
}
