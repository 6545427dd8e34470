package dev.dropwise.model;

import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.network.LayerNames;
import dev.dropwise.network.Network;
import dev.dropwise.network.Recurrent;
import dev.dropwise.util.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A model's variables under the one naming scheme of {@link LayerNames} ({@code dense_0_kernel},
 * {@code conv_1_bn_moving_mean}, ...) — the names checkpoints, exports, the DSL and the charts use
 * — and the clean {@link Network} over them. A store is made in one of two ways:
 *
 * <ul>
 *   <li>{@link #initialised}: each variable starts from its layer's initialiser and a seed, or from
 *       given starting weights (training);
 *   <li>{@link #declared}: variables without initial values, set from trained weights with {@link
 *       #assign} (serving and the analyses).
 * </ul>
 */
public final class WeightStore {
  /**
   * Where recurrent layers' seed streams start, clear of the Dense (0..) and Conv2D (..-1) ones.
   */
  private static final long RECURRENT_SEEDS = 1L << 32;

  private final List<Variable<TFloat32>> variables = new ArrayList<>();
  private final List<Variable<TFloat32>> trainable = new ArrayList<>();
  private final List<Placeholder<TFloat32>> assignValues = new ArrayList<>();
  private final List<Op> assignOps = new ArrayList<>();
  private final Network network;

  /** Where a variable's value comes from: an initial value or an assignment. */
  private interface Source {
    Variable<TFloat32> create(String name, Shape shape, Supplier<Operand<TFloat32>> initial);
  }

  private WeightStore(
      Ops tf, ModelSpec spec, long initSeed, boolean declared, StartingWeights start) {
    Source source;
    if (declared) {
      source = (name, shape, ignored) -> declare(tf, name, shape);
    } else if (start == null) {
      source = (name, shape, initial) -> tf.withName(name).variable(initial.get());
    } else {
      source =
          (name, shape, ignored) ->
              tf.withName(name)
                  .variable(
                      tf.constant(shape, DataBuffers.of(start.value(name, shape), true, false)));
    }
    network = build(tf, spec, source, initSeed);
    if (start != null) {
      List<String> unused =
          start.values().keySet().stream()
              .filter(name -> variables.stream().noneMatch(v -> v.op().name().equals(name)))
              .sorted()
              .toList();
      if (!unused.isEmpty()) {
        throw new IllegalArgumentException(
            "the starting weights from "
                + start.origin()
                + " hold variables this model "
                + "does not have ("
                + String.join(", ", unused)
                + "): the model's layers differ");
      }
    }
  }

  /**
   * Variables that start from {@code start} (an imported or exported model's weights), every one of
   * them; with {@code start} null, from the layers' initialisers, {@code initSeed} fixing their
   * values.
   */
  public static WeightStore initialised(
      Ops tf, ModelSpec spec, long initSeed, StartingWeights start) {
    return new WeightStore(tf, spec, initSeed, false, start);
  }

  /** Variables without values, to be set with {@link #assign}. */
  public static WeightStore declared(Ops tf, ModelSpec spec) {
    return new WeightStore(tf, spec, 0, true, null);
  }

  /**
   * The layers' variables (kernel and bias per Dense or Conv2D, also a recurrent kernel per LSTM or
   * GRU; gamma, beta and the moving mean and variance per BatchNorm), in layer order, and the
   * {@link Network} over them.
   */
  private Network build(Ops tf, ModelSpec spec, Source source, long initSeed) {
    List<Network.Layer> layers = new ArrayList<>();
    List<FeatureShape> outputs = new ArrayList<>();
    List<FeatureShape> shapes = spec.outputShapes();
    List<String> names = spec.layerNames();
    int dense = 0;
    int conv = 0;
    int recurrent = 0;
    for (int i = 0; i < spec.layers().size(); i++) {
      LayerSpec layer = spec.layers().get(i);
      FeatureShape in = spec.inputShape(i);
      String name = names.get(i);
      LayerSpec.BatchNorm norm =
          i + 1 < spec.layers().size() && spec.layers().get(i + 1) instanceof LayerSpec.BatchNorm bn
              ? bn
              : null;
      Network.Layer built;
      if (layer instanceof LayerSpec.Dense d) {
        long seed = Seeds.mix(initSeed, dense++);
        // Variables are named at the top level (dense_0_kernel): tensorflow-framework's optimisers
        // name their slots "<variable>-momentum", which a scoped name with '/' cannot form.
        Variable<TFloat32> kernel =
            weight(
                source,
                LayerNames.kernel(name),
                Shape.of(in.size(), d.units()),
                () -> d.initializer().create(tf.withSubScope(name), in.size(), d.units(), seed));
        Variable<TFloat32> bias =
            weight(source, LayerNames.bias(name), Shape.of(d.units()), () -> zeros(tf, d.units()));
        built =
            new Network.Linear(
                Network.Kind.DENSE,
                kernel,
                bias,
                d.activation(),
                1,
                norm(tf, source, name, norm, d.units()));
      } else if (layer instanceof LayerSpec.Conv2D c) {
        long seed = Seeds.mix(initSeed, -1 - conv++);
        long[] shape = {c.size(), c.size(), in.channels(), c.filters()};
        Variable<TFloat32> kernel =
            weight(
                source,
                LayerNames.kernel(name),
                Shape.of(shape),
                () ->
                    c.initializer()
                        .create(
                            tf.withSubScope(name),
                            shape,
                            c.size() * c.size() * in.channels(),
                            c.size() * c.size() * c.filters(),
                            seed));
        Variable<TFloat32> bias =
            weight(
                source, LayerNames.bias(name), Shape.of(c.filters()), () -> zeros(tf, c.filters()));
        built =
            new Network.Linear(
                Network.Kind.CONV,
                kernel,
                bias,
                c.activation(),
                c.stride(),
                norm(tf, source, name, norm, c.filters()));
      } else if (layer instanceof LayerSpec.Recurrent r) {
        built =
            recurrent(tf, source, name, r, in, Seeds.mix(initSeed, RECURRENT_SEEDS + recurrent++));
      } else if (layer instanceof LayerSpec.MaxPool p) {
        built = new Network.MaxPool(p.size());
      } else if (layer instanceof LayerSpec.Flatten) {
        built = new Network.Flatten(in.size());
      } else {
        continue; // a BatchNorm belongs to the layer before it; dropout is not part of the clean
        // network
      }
      layers.add(built);
      outputs.add(shapes.get(i));
    }
    return new Network(spec.input(), layers, outputs);
  }

  /**
   * A recurrent layer's kernel {@code [F, G·U]} (its initialiser), recurrent kernel {@code [U,
   * G·U]} (orthogonal) and bias (zeros, an LSTM's forget gate 1), as Keras starts them.
   */
  private Recurrent recurrent(
      Ops tf, Source source, String name, LayerSpec.Recurrent r, FeatureShape in, long seed) {
    int width = r.cell().gates() * r.units();
    Ops scope = tf.withSubScope(name);
    Variable<TFloat32> kernel =
        weight(
            source,
            LayerNames.kernel(name),
            Shape.of(in.channels(), width),
            () -> r.initializer().create(scope, in.channels(), width, Seeds.mix(seed, 0)));
    Variable<TFloat32> recurrentKernel =
        weight(
            source,
            LayerNames.recurrentKernel(name),
            Shape.of(r.units(), width),
            () ->
                Initializer.ORTHOGONAL.create(
                    scope, new long[] {r.units(), width}, r.units(), width, Seeds.mix(seed, 1)));
    long[] biasShape = r.cell().biasShape(r.units());
    Variable<TFloat32> bias =
        weight(
            source,
            LayerNames.bias(name),
            Shape.of(biasShape),
            () ->
                tf.constant(
                    Shape.of(biasShape),
                    DataBuffers.of(r.cell().initialBias(r.units()), true, false)));
    return new Recurrent(
        r.cell(), kernel, recurrentKernel, bias, r.sequences(), (float) r.dropout().zoneout());
  }

  /**
   * The BatchNorm {@code bn} after the layer {@code layerName} (null for none), with its four
   * variables.
   */
  private Network.Norm norm(
      Ops tf, Source source, String layerName, LayerSpec.BatchNorm bn, int units) {
    if (bn == null) {
      return null;
    }
    Variable<TFloat32> gamma =
        weight(source, LayerNames.norm(layerName, "gamma"), Shape.of(units), () -> ones(tf, units));
    Variable<TFloat32> beta =
        weight(source, LayerNames.norm(layerName, "beta"), Shape.of(units), () -> zeros(tf, units));
    Variable<TFloat32> mean =
        source.create(
            LayerNames.norm(layerName, "moving_mean"), Shape.of(units), () -> zeros(tf, units));
    Variable<TFloat32> variance =
        source.create(
            LayerNames.norm(layerName, "moving_variance"), Shape.of(units), () -> ones(tf, units));
    variables.add(mean);
    variables.add(variance);
    return new Network.Norm(gamma, beta, mean, variance, (float) bn.epsilon(), bn.momentum());
  }

  private Variable<TFloat32> weight(
      Source source, String name, Shape shape, Supplier<Operand<TFloat32>> initial) {
    Variable<TFloat32> v = source.create(name, shape, initial);
    variables.add(v);
    trainable.add(v);
    return v;
  }

  private Variable<TFloat32> declare(Ops tf, String name, Shape shape) {
    Variable<TFloat32> v = tf.withName(name).variable(shape, TFloat32.class);
    Placeholder<TFloat32> value =
        tf.withName(name + "_value").placeholder(TFloat32.class, Placeholder.shape(shape));
    assignValues.add(value);
    assignOps.add(tf.withName(name + "_assign").assign(v, value));
    return v;
  }

  private static Operand<TFloat32> zeros(Ops tf, int n) {
    return tf.zeros(tf.constant(new int[] {n}), TFloat32.class);
  }

  private static Operand<TFloat32> ones(Ops tf, int n) {
    return tf.fill(tf.constant(new int[] {n}), tf.constant(1f));
  }

  /** The layers as weights, for clean forward passes (BatchNorm on its moving averages). */
  public Network network() {
    return network;
  }

  /**
   * Every variable, in layer order: kernel and bias of each Dense and Conv2D layer, and a
   * BatchNorm's gamma, beta, moving mean and moving variance. What checkpoints and exports carry.
   */
  public List<Variable<TFloat32>> variables() {
    return List.copyOf(variables);
  }

  /**
   * The variables an optimiser trains: {@link #variables()} without BatchNorm's moving averages.
   */
  public List<Variable<TFloat32>> trainable() {
    return List.copyOf(trainable);
  }

  /**
   * A {@link #declared} store only: sets every variable to {@code values.apply(name)} (flattened
   * row-major) — how a trained model is rebuilt in a graph of its own.
   */
  public void assign(Session session, Function<String, float[]> values) {
    List<TFloat32> tensors = new ArrayList<>();
    try {
      for (Variable<TFloat32> variable : variables) {
        float[] value = values.apply(variable.op().name());
        if (value == null) {
          throw new IllegalArgumentException(
              "no value for the model's variable " + variable.op().name());
        }
        tensors.add(TFloat32.tensorOf(variable.shape(), DataBuffers.of(value, true, false)));
      }
      assign(session, tensors);
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  /**
   * A {@link #declared} store only: sets the variables to {@code values}, in {@link #variables()}
   * order.
   */
  public void assign(Session session, List<TFloat32> values) {
    if (assignOps.isEmpty() && !variables.isEmpty()) {
      throw new IllegalStateException(
          "the variables of an initialised store are not assigned from outside");
    }
    if (values.size() != variables.size()) {
      throw new IllegalArgumentException(
          values.size() + " values for the model's " + variables.size() + " variables");
    }
    Session.Runner runner = session.runner();
    for (int i = 0; i < values.size(); i++) {
      runner.feed(assignValues.get(i), values.get(i)).addTarget(assignOps.get(i));
    }
    runner.run().close();
  }
}
