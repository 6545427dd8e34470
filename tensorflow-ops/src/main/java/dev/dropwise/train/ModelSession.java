package dev.dropwise.train;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.FrozenDropout;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.model.TrainingGraph;
import dev.dropwise.model.WeightStore;
import dev.dropwise.util.Tensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A model's {@link TrainingGraph} in a live session: runs one {@link #step} per batch (a single
 * {@code Session.run}), evaluation with dropout off, and reads, saves and restores the weights. It
 * builds nothing but the graph it is given; {@code export.SavedModelExport} writes it for serving.
 */
public final class ModelSession implements AutoCloseable {
  private static final int EVAL_BATCH = 1000;

  private final Graph graph;
  private final Session session;
  private final TrainingGraph model;
  private final TBool trainingOn;
  private final Batch.Staging staging = new Batch.Staging();

  /**
   * A session on TensorFlow's default threads, the weights starting from their initialisers and the
   * init seed.
   */
  public ModelSession(ModelSpec spec, OptimizerSpec optimizer, RunSeeds seeds) {
    this(spec, optimizer, seeds, 0);
  }

  /**
   * {@code threads}: what TensorFlow computes with, within an op and across ops; 0 for its default
   * (every core).
   */
  public ModelSession(ModelSpec spec, OptimizerSpec optimizer, RunSeeds seeds, int threads) {
    this(spec, null, optimizer, seeds, threads);
  }

  /**
   * A model whose weights start from {@code start} (null: from its initialisers and the init seed).
   */
  public ModelSession(
      ModelSpec spec, StartingWeights start, OptimizerSpec optimizer, RunSeeds seeds, int threads) {
    graph = new Graph();
    try {
      model =
          new TrainingGraph(
              Ops.create(graph), spec, seeds.init(), seeds.mask(), optimizer.create(graph), start);
      session = open(graph, threads);
      trainingOn = TBool.scalarOf(true);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * A session on {@code graph} computing with {@code threads} threads within an op and as many
   * across ops; 0 for TensorFlow's default (every core).
   */
  public static Session open(Graph graph, int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException(
          "threads=" + threads + " is not allowed: must be >= 0 (0: every core)");
    }
    return threads == 0
        ? new Session(graph)
        : new Session(
            graph,
            ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads)
                .build());
  }

  /** Whether every weight (and every other variable of the model) is a finite number. */
  public boolean weightsFinite() {
    try (Result r = session.runner().fetch(model.weightsFinite()).run()) {
      return ((TBool) r.get(0)).getBoolean();
    }
  }

  /**
   * Result of one training step: summed loss, correct count, and each dropout layer's dropped
   * fraction.
   */
  public record StepResult(double lossSum, double correct, double[] dropFractions) {}

  /**
   * One update on {@code data[order[from..to)]}, masks keyed by {@code step}; {@code epoch} is
   * 0-based and {@code progress} is epoch / epochs.
   */
  public StepResult step(
      Dataset data, int[] order, int from, int to, long step, int epoch, float progress) {
    return step(
        data,
        order,
        from,
        to,
        step,
        epoch,
        progress,
        new float[(int) model.scheduledRates().shape().get(0)]);
  }

  /** {@link #step(Dataset, int[], int, int, long, int, float)} with the scheduled layers' rates. */
  public StepResult step(
      Dataset data,
      int[] order,
      int from,
      int to,
      long step,
      int epoch,
      float progress,
      float[] scheduledRates) {
    try (Batch batch = new Batch(data, order, from, to, staging);
        StepInputs inputs = new StepInputs(step, epoch, progress, scheduledRates)) {
      Session.Runner runner =
          inputs
              .feed(session.runner(), model, batch, trainingOn)
              .fetch(model.lossSum())
              .fetch(model.correct());
      model.stepTargets().forEach(runner::addTarget);
      model.dropFractions().forEach(runner::fetch);
      try (Result r = runner.run()) {
        double[] dropped = new double[model.dropFractions().size()];
        for (int i = 0; i < dropped.length; i++) {
          dropped[i] = scalar(r, 2 + i);
        }
        return new StepResult(scalar(r, 0), scalar(r, 1), dropped);
      }
    }
  }

  /** Each learned-rate dropout layer's rate as it stands (Concrete dropout), by spec index. */
  public Map<Integer, Double> learnedRates() {
    Map<Integer, Double> rates = new LinkedHashMap<>();
    if (model.learnedRates().isEmpty()) {
      return rates;
    }
    Session.Runner runner = session.runner();
    model.learnedRates().values().forEach(runner::fetch);
    try (Result r = runner.run()) {
      int k = 0;
      for (Integer layer : model.learnedRates().keySet()) {
        rates.put(layer, scalar(r, k++));
      }
    }
    return rates;
  }

  /** The dropout layers {@link TrainingGraph#unitStatistics} covers, by index in the spec. */
  List<Integer> countedLayers() {
    return model.unitStatistics().stream().map(TrainingGraph.UnitStatistics::layer).toList();
  }

  /**
   * The per-unit rates of the layers {@link #countedLayers}, their masks drawn on {@code data} in
   * training mode with the last step's inputs (keyed by the steps after it; nothing updated).
   */
  Map<Integer, FrozenDropout> frozen(Dataset data, TrainingRun.FinalStep last) {
    List<TrainingGraph.UnitStatistics> stats = model.unitStatistics();
    double[] rows = new double[stats.size()];
    List<double[]> dropped = new ArrayList<>();
    List<double[]> kept = new ArrayList<>();
    for (TrainingGraph.UnitStatistics u : stats) {
      int width = (int) u.dropped().shape().get(0);
      dropped.add(new double[width]);
      kept.add(new double[width]);
    }
    long step = last.step();
    for (int from = 0; from < data.size(); from += last.batchSize()) {
      int to = Math.min(data.size(), from + last.batchSize());
      try (Batch batch = new Batch(data, null, from, to, staging);
          StepInputs inputs = new StepInputs(step++, last.epoch(), last.progress(), last.rates())) {
        Session.Runner runner = inputs.feed(session.runner(), model, batch, trainingOn);
        for (TrainingGraph.UnitStatistics u : stats) {
          runner.fetch(u.rows()).fetch(u.dropped()).fetch(u.kept());
        }
        try (Result r = runner.run()) {
          for (int l = 0; l < stats.size(); l++) {
            rows[l] += scalar(r, 3 * l);
            add(dropped.get(l), Tensors.toArray((TFloat32) r.get(3 * l + 1)));
            add(kept.get(l), Tensors.toArray((TFloat32) r.get(3 * l + 2)));
          }
        }
      }
    }
    Map<Integer, FrozenDropout> frozen = new LinkedHashMap<>();
    for (int l = 0; l < stats.size(); l++) {
      double[] d = dropped.get(l);
      float[] rate = new float[d.length];
      float[] scale = new float[d.length];
      for (int u = 0; u < d.length; u++) {
        rate[u] = (float) (d[u] / rows[l]);
        scale[u] = d[u] < rows[l] ? (float) (kept.get(l)[u] / (rows[l] - d[u])) : 0f;
      }
      int layer = stats.get(l).layer();
      frozen.put(
          layer,
          new FrozenDropout(
              ((LayerSpec.Dropout) model.spec().layers().get(layer)).method(), rate, scale));
    }
    return frozen;
  }

  private static void add(double[] sum, float[] values) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += values[i];
    }
  }

  /** Loss and accuracy on {@code data} with dropout off. */
  public Evaluation evaluate(Dataset data) {
    double loss = 0;
    double correct = 0;
    for (int from = 0; from < data.size(); from += EVAL_BATCH) {
      int to = Math.min(data.size(), from + EVAL_BATCH);
      try (Batch batch = new Batch(data, null, from, to, staging);
          Result r =
              session
                  .runner()
                  .feed(model.input(), batch.features)
                  .feed(model.labels(), batch.labels)
                  .fetch(model.lossSum())
                  .fetch(model.correct())
                  .run()) {
        loss += scalar(r, 0);
        correct += scalar(r, 1);
      }
    }
    return new Evaluation(loss / data.size(), correct / data.size(), data.size());
  }

  /**
   * Logits of the first {@code count} examples of {@code data}, with the training switch as given
   * and masks keyed by {@code step}, as {@code [count * classes]}.
   */
  public float[] logits(Dataset data, int count, boolean training, long step) {
    try (Batch batch = new Batch(data, null, 0, count, staging);
        TBool flag = TBool.scalarOf(training);
        TInt64 stepTensor = TInt64.scalarOf(step);
        Result r =
            session
                .runner()
                .feed(model.input(), batch.features)
                .feed(model.training(), flag)
                .feed(model.step(), stepTensor)
                .fetch(model.logits())
                .run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }

  /**
   * Every variable's current value by its name ({@code dense_0_kernel}, {@code
   * conv_1_bn_moving_mean}, ...), flattened.
   */
  public Map<String, float[]> variableValues() {
    Map<String, float[]> out = new LinkedHashMap<>();
    List<float[]> values = weights();
    for (int i = 0; i < values.size(); i++) {
      out.put(model.weights().variables().get(i).op().name(), values.get(i));
    }
    return out;
  }

  /** Every variable of the model ({@link WeightStore#variables()}), flattened, in layer order. */
  public List<float[]> weights() {
    List<float[]> out = new ArrayList<>();
    withWeightTensors(tensors -> tensors.forEach(t -> out.add(Tensors.toArray(t))));
    return out;
  }

  /**
   * Runs {@code use} with the current value of every variable of {@link WeightStore#variables()}.
   */
  public void withWeightTensors(Consumer<List<TFloat32>> use) {
    Session.Runner runner = session.runner();
    for (Variable<TFloat32> v : model.weights().variables()) {
      runner.fetch(v);
    }
    try (Result r = runner.run()) {
      List<TFloat32> tensors = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        tensors.add((TFloat32) r.get(i));
      }
      use.accept(tensors);
    }
  }

  /** The training graph's definition: two models built alike give equal messages. */
  public GraphDef graphDef() {
    return graph.toGraphDef();
  }

  /** Writes every variable (weights and optimiser slots) under {@code prefix}. */
  public void save(Path prefix) {
    session.save(prefix.toString());
  }

  /** Restores what {@link #save} wrote; counts as the session's initialisation. */
  public void restore(Path prefix) {
    session.restore(prefix.toString());
  }

  /** The model the session trains. */
  public ModelSpec spec() {
    return model.spec();
  }

  private static double scalar(Result r, int index) {
    return ((TFloat32) r.get(index)).getFloat();
  }

  @Override
  public void close() {
    trainingOn.close();
    session.close();
    graph.close();
  }
}
