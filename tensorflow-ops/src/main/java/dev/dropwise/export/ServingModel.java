package dev.dropwise.export;

import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.ServingGraph;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.network.LayerNames;
import dev.dropwise.util.Errors;
import dev.dropwise.util.ParameterException;
import dev.dropwise.util.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** A SavedModel written by {@link SavedModelExport}, loaded for inference through its signature. */
public final class ServingModel implements AutoCloseable {
  private final Path dir;
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final int inputs;
  private final ModelMetadata metadata;

  private ServingModel(SavedModelBundle bundle, Path dir, ModelMetadata metadata) {
    this.dir = dir;
    this.bundle = bundle;
    this.function = bundle.function(SavedModelExport.SIGNATURE);
    this.inputs = (int) function.signature().getInputs().get(ServingGraph.INPUT).shape.get(1);
    this.metadata = metadata;
  }

  /**
   * Loads the export in {@code dir}, its metadata checked against its graph ({@link
   * ModelMetadata}): refused, with the file and what is wrong, before anything is fed to it.
   */
  public static ServingModel load(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IOException("model directory " + dir + " holds no saved_model.pb");
    }
    if (!Files.isRegularFile(dir.resolve("variables").resolve("variables.index"))) {
      throw new IOException(
          "model directory "
              + dir
              + " holds no variables/variables.index: the model's weights are "
              + "missing (a SavedModel is the directory as a whole, saved_model.pb with variables/)");
    }
    ModelMetadata metadata = ModelMetadata.read(dir);
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.load(dir.toString(), "serve");
    } catch (RuntimeException e) {
      throw new IOException(
          "the SavedModel in "
              + dir
              + " cannot be loaded: its saved_model.pb or its variables ("
              + dir.resolve("variables")
              + "/variables.{index,data-*}) are damaged or truncated; TensorFlow says: "
              + Errors.firstLine(e),
          e);
    }
    try {
      ServingModel model = new ServingModel(bundle, dir, metadata);
      metadata.check(bundle.graph(), model.inputs, model.classes(), model.scalesInputs());
      return model;
    } catch (IOException | RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /** The number of classes, as the serving signature's logits have them. */
  private long classes() {
    return function.signature().getOutputs().get(ServingGraph.LOGITS).shape.get(1);
  }

  /** Whether the serving graph scales its raw inputs itself (its {@code preprocessing/} ops). */
  private boolean scalesInputs() {
    for (var it = bundle.graph().operations(); it.hasNext(); ) {
      if (it.next().name().startsWith(ServingGraph.PREPROCESSING + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The exported model's network (its layers without dropout), as its {@value
   * SavedModelExport#METADATA} records it. Exports written before the network was recorded hold
   * MLPs, rebuilt from their Dense kernels' shapes and recorded activations.
   */
  public ModelSpec network() throws IOException {
    if (metadata.has("network")) {
      return metadata.network();
    }
    List<LayerSpec> layers = new ArrayList<>();
    LayerNames names = new LayerNames();
    for (Activation activation : metadata.activations()) {
      try (Result r = bundle.session().runner().fetch(LayerNames.bias(names.next("dense"))).run()) {
        layers.add(
            new LayerSpec.Dense(
                (int) r.get(0).shape().get(0), activation, Initializer.GLOROT_UNIFORM));
      }
    }
    return new ModelSpec(metadata.positiveInt("inputs"), layers);
  }

  /**
   * The model as it was trained, its dropout layers included; an export from before they were
   * recorded gives its {@link #network()}, without dropout.
   */
  public ModelSpec trainingSpec() throws IOException {
    List<String> layers = metadata.trainingLayers();
    if (layers == null) {
      return network();
    }
    return new ModelSpec(
        FeatureShape.parse(metadata.text("input")), layers.stream().map(LayerSpec::parse).toList());
  }

  /**
   * What the export's Monte Carlo passes sample in place of dropout layers of {@link
   * #trainingSpec()} that cannot run as they trained (by layer index): a scheduled method at its
   * last rate, an importance-guided one at its frozen per-unit rates; empty when none, and for
   * exports from before these were recorded.
   */
  public Map<Integer, DropoutSpec> monteCarloLayers() throws IOException {
    return metadata.monteCarloLayers(trainingSpec());
  }

  /** Every variable of the model by its name, to train on from: {@code train --init-from}. */
  public StartingWeights startingWeights() {
    List<String> names = new ArrayList<>();
    bundle
        .graph()
        .operations()
        .forEachRemaining(
            op -> {
              if (op.type().equals("VariableV2")) {
                names.add(op.name());
              }
            });
    Session.Runner runner = bundle.session().runner();
    names.forEach(runner::fetch);
    Map<String, float[]> values = new LinkedHashMap<>();
    try (Result r = runner.run()) { // one run for every variable
      for (int i = 0; i < names.size(); i++) {
        values.put(names.get(i), Tensors.toArray((TFloat32) r.get(i)));
      }
    }
    return new StartingWeights(dir.toString(), values);
  }

  /**
   * How the serving graph scales its raw inputs; none for exports from before preprocessing was
   * recorded, which take inputs already scaled.
   */
  public Preprocessing preprocessing() throws IOException {
    return metadata.preprocessing();
  }

  /**
   * The temperature {@code serving_default} divides its logits by: fitted by {@code train
   * --calibrate}, 1 otherwise.
   */
  public double temperature() throws IOException {
    return metadata.temperature();
  }

  /** The classes' names as training saw them; null for exports from before they were recorded. */
  public List<String> classNames() throws IOException {
    return metadata.classNames();
  }

  /**
   * The names of the classes held out of training ({@code train --ood-classes}), whose test
   * examples the model has never seen; empty when none were.
   */
  public List<String> oodClasses() throws IOException {
    return metadata.oodClasses();
  }

  /** The value of the variable {@code name} (e.g. {@code conv_0_kernel}), flattened row-major. */
  public float[] variable(String name) {
    try (Result r = bundle.session().runner().fetch(name).run()) {
      return Tensors.toArray((TFloat32) r.get(0));
    }
  }

  /** Number of input features. */
  public int inputs() {
    return inputs;
  }

  /** Why a model may lack the {@code mc_dropout} signature, with the methods that allow it. */
  public static final String MONTE_CARLO_NEEDS =
      "Monte Carlo dropout needs dropout methods whose masks come from a seed "
          + "alone ("
          + String.join(", ", DropoutMethods.withMonteCarlo())
          + "), or an export made right after training, which samples a scheduled method at its "
          + "last rate, Concrete dropout at the rate it learned and the importance-guided "
          + "methods at the per-unit rates training left them with (not DropConnect); an "
          + "imported model has no training to take them from";

  /** Whether the model carries the {@code mc_dropout} signature. */
  public boolean hasMonteCarlo() {
    return has(SavedModelExport.MC_SIGNATURE);
  }

  /**
   * The most Monte Carlo samples one prediction takes: the standard error of the mean falls as
   * 1/√N, so 100,000 samples already pin a probability to ±0.0016; more only cost hours.
   */
  public static final int MAX_MONTE_CARLO_SAMPLES = 100_000;

  /**
   * Refuses a model without {@code mc_dropout}, and a number of samples {@link #checkSamples}
   * refuses.
   */
  private void requireMonteCarlo(int samples) {
    if (!hasMonteCarlo()) {
      throw new IllegalArgumentException(
          "this model has no "
              + SavedModelExport.MC_SIGNATURE
              + " signature: "
              + MONTE_CARLO_NEEDS);
    }
    checkSamples(samples);
  }

  /** Refuses a number of Monte Carlo samples outside [2, {@value #MAX_MONTE_CARLO_SAMPLES}]. */
  public static void checkSamples(int samples) {
    if (samples < 2) {
      throw new IllegalArgumentException(
          "Monte Carlo samples=" + samples + " is not allowed: must be >= 2");
    }
    if (samples > MAX_MONTE_CARLO_SAMPLES) {
      throw new IllegalArgumentException(
          "Monte Carlo samples="
              + samples
              + " is too many: at most "
              + MAX_MONTE_CARLO_SAMPLES
              + " (each sample is a full forward pass over the examples, and the mean's "
              + "standard error, which falls as 1/sqrt(N), is already below 0.002 there)");
    }
  }

  /** {@link #predictMonteCarlo(float[], int, int, IntConsumer)} without progress. */
  public MonteCarlo predictMonteCarlo(float[] features, int count, int samples) {
    return predictMonteCarlo(features, count, samples, done -> {});
  }

  /**
   * Monte Carlo dropout: {@code samples} predictions with dropout on (masks seeded 0, 1, ...), and
   * their mean, (population) standard deviation and uncertainty measures ({@link MonteCarlo});
   * {@code progress} hears the number of samples done after each one.
   */
  public MonteCarlo predictMonteCarlo(
      float[] features, int count, int samples, IntConsumer progress) {
    return predictMonteCarlo(features, count, samples, MonteCarlo.Masks.INDEPENDENT, progress);
  }

  /**
   * {@link #predictMonteCarlo(float[], int, int, IntConsumer)} with the masks of a pass drawn as
   * {@code masks} says: each example its own, or one per pass for every example.
   */
  public MonteCarlo predictMonteCarlo(
      float[] features, int count, int samples, MonteCarlo.Masks masks, IntConsumer progress) {
    return predictMonteCarlo(features, count, samples, MonteCarlo.Draw.of(masks), progress);
  }

  /**
   * {@link #predictMonteCarlo(float[], int, int, MonteCarlo.Masks, IntConsumer)} with the
   * importance-guided layers sampled as {@code draw} says too; {@code live} needs {@link
   * #samplesLive}, and takes each example alone, so that every method ranks by that example's own
   * importance.
   */
  public MonteCarlo predictMonteCarlo(
      float[] features, int count, int samples, MonteCarlo.Draw draw, IntConsumer progress) {
    requireMonteCarlo(samples);
    MonteCarlo.Masks masks = draw.masks();
    if (draw.sampling() == MonteCarlo.Sampling.LIVE) {
      if (!samplesLive()) {
        throw new ParameterException("sampling", "live", LIVE_NEEDS);
      }
      // Each example alone: every method then ranks by that example's own importance, even one
      // that ranks a batch (its masks are then the same shared or not).
      return passes(
          SavedModelExport.MC_LIVE_PASSES_SIGNATURE, true, features, count, samples, progress);
    }
    // Shared masks in one run where the export has them; else each example through alone.
    if (masks == MonteCarlo.Masks.SHARED && sharesMasksInOneRun()) {
      return passes(
          SavedModelExport.MC_SHARED_PASSES_SIGNATURE, false, features, count, samples, progress);
    }
    String signature =
        has(SavedModelExport.MC_PASSES_SIGNATURE)
            ? SavedModelExport.MC_PASSES_SIGNATURE
            : SavedModelExport.MC_SIGNATURE;
    return passes(signature, masks == MonteCarlo.Masks.SHARED, features, count, samples, progress);
  }

  /** Why a model may lack live Monte Carlo passes. */
  public static final String LIVE_NEEDS =
      "this model has no live Monte Carlo passes: they need an export made right after training"
          + " of a model with importance-guided dropout (lrp, ydrop, pfid) on flat layers whose"
          + " measure targets the predicted class; allowed here: frozen";

  /** Whether the model's importance-guided layers can be sampled {@code live}. */
  public boolean samplesLive() {
    return has(SavedModelExport.MC_LIVE_PASSES_SIGNATURE);
  }

  /**
   * Whether shared masks take one session call per {@link ServingGraph#MC_PASSES} passes for the
   * whole batch ({@code mc_dropout_shared_passes}) rather than one call per example.
   */
  public boolean sharesMasksInOneRun() {
    return has(SavedModelExport.MC_SHARED_PASSES_SIGNATURE);
  }

  /**
   * {@link #predictMonteCarlo} one session call per pass, through {@code mc_dropout}: the reference
   * the batched signature is held to, and the path of exports from before it.
   */
  public MonteCarlo predictMonteCarloPassByPass(float[] features, int count, int samples) {
    requireMonteCarlo(samples);
    return passes(SavedModelExport.MC_SIGNATURE, false, features, count, samples, done -> {});
  }

  /**
   * Shared masks as exports without {@code mc_dropout_shared_passes} draw them: each example
   * through {@code mc_dropout} alone, a pass a call; the reference the one-run signature is held
   * to.
   */
  public MonteCarlo predictMonteCarloExampleByExample(float[] features, int count, int samples) {
    requireMonteCarlo(samples);
    return passes(SavedModelExport.MC_SIGNATURE, true, features, count, samples, done -> {});
  }

  private boolean has(String signature) {
    return bundle.signatures().stream().anyMatch(sig -> sig.key().equals(signature));
  }

  /** The passes through {@code signature}: one a call, or {@link ServingGraph#MC_PASSES}. */
  private MonteCarlo passes(
      String signature,
      boolean oneExampleACall,
      float[] features,
      int count,
      int samples,
      IntConsumer progress) {
    return MonteCarloPasses.run(
        bundle.function(signature),
        signature.equals(SavedModelExport.MC_SIGNATURE) ? 1 : ServingGraph.MC_PASSES,
        features,
        count,
        inputs,
        samples,
        oneExampleACall,
        progress);
  }

  /** Logits and probabilities of {@code count} examples, each {@code [count * classes]}. */
  public record Prediction(float[] logits, float[] probabilities, int classes) {}

  /**
   * Logits and probabilities of {@code count} examples through the {@code serving_default}
   * signature (no dropout); {@code features}: their raw values, row-major, {@link #inputs()} per
   * example.
   */
  public Prediction predict(float[] features, int count) {
    if (features.length != count * inputs) {
      throw new IllegalArgumentException(
          "features holds "
              + features.length
              + " values; "
              + count
              + " examples need "
              + count * inputs);
    }
    try (TFloat32 x =
            TFloat32.tensorOf(Shape.of(count, inputs), DataBuffers.of(features, true, false));
        Result r = function.call(Map.of(ServingGraph.INPUT, x))) {
      TFloat32 logits = (TFloat32) r.get(ServingGraph.LOGITS).orElseThrow();
      TFloat32 probabilities = (TFloat32) r.get(ServingGraph.PROBABILITIES).orElseThrow();
      return new Prediction(
          Tensors.toArray(logits), Tensors.toArray(probabilities), (int) logits.shape().get(1));
    }
  }

  @Override
  public void close() {
    bundle.close();
  }
}
