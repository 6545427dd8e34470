package dev.dropwise.export;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.ServingGraph;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.model.WeightStore;
import dev.dropwise.train.ModelSession;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Json;
import dev.dropwise.util.OutputDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;

/**
 * Writes a TensorFlow SavedModel for serving: a graph built afresh by {@link ServingGraph} (no
 * dropout op, no training switch, no optimiser slot) holding the trained weights, with the
 * signature {@code serving_default}: input {@code x}, outputs {@code logits} and {@code
 * probabilities} — deterministic, no dropout. When every dropout method of the model draws its
 * masks from a seed alone (standard, sector-wise, Alpha, Gaussian, the feature-map methods), a
 * second signature {@code mc_dropout} (inputs {@code x} and {@code seed}, output {@code
 * probabilities}) runs the same weights with dropout on, for Monte Carlo dropout. The model is
 * written under a temporary name beside {@code dir} and renamed when complete, so a failed export
 * leaves nothing behind and an earlier export stays intact.
 *
 * <p>What may stand at {@code dir} beforehand: nothing, an empty directory, or an earlier dropwise
 * export ({@value #METADATA} and the SavedModel's own files, nothing else). Anything else is
 * refused by {@link #checkTarget}: an export replaces its directory as a whole, so it must never
 * replace a directory of the user's.
 */
public final class SavedModelExport {
  /**
   * The deterministic signature: input {@code x}, outputs {@code logits} and {@code probabilities},
   * no dropout.
   */
  public static final String SIGNATURE = "serving_default";

  /**
   * Probabilities with dropout kept on, masks drawn from the {@code seed} input (Monte Carlo
   * dropout).
   */
  public static final String MC_SIGNATURE = "mc_dropout";

  /**
   * The batched Monte Carlo signature: {@code x} and {@code seed} to {@code probabilities} of
   * {@link ServingGraph#MC_PASSES} passes, {@code [passes, N, classes]}, pass k exactly {@link
   * #MC_SIGNATURE}'s with seed {@code seed + k}.
   */
  public static final String MC_PASSES_SIGNATURE = "mc_dropout_passes";

  /**
   * {@link #MC_PASSES_SIGNATURE} with one mask per pass for every example: pass k's masks are those
   * {@link #MC_SIGNATURE} draws at seed {@code seed + k} for an example predicted alone. Present
   * where every dropout layer multiplies flat units by a mask from the seed alone.
   */
  public static final String MC_SHARED_PASSES_SIGNATURE = "mc_dropout_shared_passes";

  /**
   * {@link #MC_PASSES_SIGNATURE} with the importance-guided layers drawn {@code live}: their masks
   * from the importance of the inputs given, computed in the graph. Present where an export made
   * right after training has such layers on flat units, their measures targeting the predicted
   * class.
   */
  public static final String MC_LIVE_PASSES_SIGNATURE = "mc_dropout_live_passes";

  /**
   * dropwise's own file in an export: the model's layers, class names and preprocessing, which
   * loading the export checks and reads back.
   */
  public static final String METADATA = "dropwise-model.json";

  /** What a SavedModel directory written by {@link #export} holds. */
  private static final Set<String> EXPORT_ENTRIES =
      Set.of("saved_model.pb", "variables", "assets", "fingerprint.pb", METADATA);

  private SavedModelExport() {}

  /**
   * Refuses {@code dir} as an export path unless it is absent (and creatable), an empty directory
   * or an earlier dropwise export; {@code what} names it in the message (a parameter, or the CLI's
   * option).
   */
  public static void checkTarget(String what, Path dir) {
    OutputDirectories.checkNotLink(what, dir);
    if (!Files.exists(dir)) {
      OutputDirectories.checkCreatable(what, dir);
      return;
    }
    String rule =
        "; an export replaces its directory as a whole, so dropwise writes one only to a new path, an empty "
            + "directory or its own earlier export: choose another path";
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(what + " " + dir + " is a file" + rule);
    }
    List<String> entries = OutputDirectories.entries(dir);
    if (entries.isEmpty()) {
      return;
    }
    List<String> foreign =
        new ArrayList<>(entries.stream().filter(e -> !EXPORT_ENTRIES.contains(e)).toList());
    Path variables = dir.resolve("variables");
    if (Files.isDirectory(variables)) {
      OutputDirectories.entries(variables).stream()
          .filter(e -> !e.startsWith("variables."))
          .forEach(e -> foreign.add("variables/" + e));
    }
    if (!entries.contains(METADATA)) {
      throw new IllegalArgumentException(
          what
              + " "
              + dir
              + " is not a dropwise export (it holds "
              + OutputDirectories.preview(entries)
              + " and no "
              + METADATA
              + ")"
              + rule);
    }
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException(
          what
              + " "
              + dir
              + " holds files that are not part of a dropwise export ("
              + OutputDirectories.preview(foreign)
              + ")"
              + rule);
    }
  }

  /** Exports {@code trained}, a model over inputs as given (no scaling), classes named by index. */
  public static void export(ModelSession trained, Path dir) throws IOException {
    export(
        trained, dir, Preprocessing.NONE, ClassificationData.indexNames(trained.spec().classes()));
  }

  /**
   * Exports {@code trained} to {@code dir}, which {@link #checkTarget} must accept: its serving
   * graph takes raw inputs and applies {@code preprocessing}; the metadata records it and the
   * classes' names.
   */
  public static void export(
      ModelSession trained, Path dir, Preprocessing preprocessing, List<String> classNames)
      throws IOException {
    export(trained, dir, preprocessing, classNames, 1, List.of(), Map.of());
  }

  /**
   * As {@link #export(ModelSession, Path, Preprocessing, List)}, with {@code serving_default}'s
   * logits divided by {@code temperature} ({@code TemperatureScaling}), and the names of the
   * classes held out of training ({@code oodClasses}, possibly none); the metadata records both.
   */
  public static void export(
      ModelSession trained,
      Path dir,
      Preprocessing preprocessing,
      List<String> classNames,
      double temperature,
      List<String> oodClasses,
      Map<Integer, DropoutSpec> sampledAs)
      throws IOException {
    write(
        trained.spec(),
        (store, session) -> trained.withWeightTensors(tensors -> store.assign(session, tensors)),
        dir,
        preprocessing,
        classNames,
        null,
        temperature,
        oodClasses,
        sampledAs);
  }

  /**
   * Exports the model {@code spec} with the variables {@code weights} (an imported model's), as
   * {@link #export(ModelSession, Path, Preprocessing, List)} does a trained one; {@code origin} is
   * recorded in the metadata.
   */
  public static void export(
      ModelSpec spec,
      StartingWeights weights,
      Path dir,
      Preprocessing preprocessing,
      List<String> classNames,
      String origin)
      throws IOException {
    export(spec, weights, dir, preprocessing, classNames, origin, Map.of());
  }

  /**
   * As {@link #export(ModelSpec, StartingWeights, Path, Preprocessing, List, String)}, with the
   * Monte Carlo passes sampling {@code sampledAs} in place of those dropout layers (by index).
   */
  public static void export(
      ModelSpec spec,
      StartingWeights weights,
      Path dir,
      Preprocessing preprocessing,
      List<String> classNames,
      String origin,
      Map<Integer, DropoutSpec> sampledAs)
      throws IOException {
    write(
        spec,
        (store, session) -> store.assign(session, name -> weights.values().get(name)),
        dir,
        preprocessing,
        classNames,
        origin,
        1,
        List.of(),
        sampledAs);
  }

  private static void write(
      ModelSpec spec,
      BiConsumer<WeightStore, Session> weights,
      Path dir,
      Preprocessing preprocessing,
      List<String> classNames,
      String origin,
      double temperature,
      List<String> oodClasses,
      Map<Integer, DropoutSpec> sampledAs)
      throws IOException {
    if (!classNames.containsAll(oodClasses)) {
      throw new IllegalArgumentException(
          "held-out classes " + oodClasses + " are not all among the classes " + classNames);
    }
    if (classNames.size() != spec.classes()) {
      throw new IllegalArgumentException(
          classNames.size() + " class names for a model of " + spec.classes() + " classes");
    }
    checkTarget("export directory", dir);
    AtomicFiles.removeStaleStaging(dir);
    Path staged = AtomicFiles.stagingDirectory(dir);
    try {
      try (Graph graph = new Graph()) {
        ServingGraph serving =
            new ServingGraph(Ops.create(graph), spec, preprocessing, temperature, sampledAs);
        try (Session session = new Session(graph)) {
          try {
            weights.accept(serving.weights(), session);
          } catch (RuntimeException e) {
            throw new IOException("could not copy the weights into the serving graph", e);
          }
          Signature signature =
              Signature.builder()
                  .key(SIGNATURE)
                  .input(ServingGraph.INPUT, serving.input())
                  .output(ServingGraph.LOGITS, serving.logits())
                  .output(ServingGraph.PROBABILITIES, serving.probabilities())
                  .build();
          SavedModelBundle.Exporter exporter =
              SavedModelBundle.exporter(staged.toString())
                  .withSession(session)
                  .withSignature(signature);
          if (serving.monteCarloProbabilities() != null) {
            exporter.withSignature(
                Signature.builder()
                    .key(MC_SIGNATURE)
                    .input(ServingGraph.INPUT, serving.input())
                    .input("seed", serving.monteCarloSeed())
                    .output(ServingGraph.PROBABILITIES, serving.monteCarloProbabilities())
                    .build());
            exporter.withSignature(
                Signature.builder()
                    .key(MC_PASSES_SIGNATURE)
                    .input(ServingGraph.INPUT, serving.input())
                    .input("seed", serving.monteCarloSeed())
                    .output(ServingGraph.PROBABILITIES, serving.monteCarloPassProbabilities())
                    .build());
          }
          if (serving.monteCarloLivePassProbabilities() != null) {
            exporter.withSignature(
                Signature.builder()
                    .key(MC_LIVE_PASSES_SIGNATURE)
                    .input(ServingGraph.INPUT, serving.input())
                    .input("seed", serving.monteCarloSeed())
                    .output(ServingGraph.PROBABILITIES, serving.monteCarloLivePassProbabilities())
                    .build());
          }
          if (serving.monteCarloSharedPassProbabilities() != null) {
            exporter.withSignature(
                Signature.builder()
                    .key(MC_SHARED_PASSES_SIGNATURE)
                    .input(ServingGraph.INPUT, serving.input())
                    .input("seed", serving.monteCarloSeed())
                    .output(ServingGraph.PROBABILITIES, serving.monteCarloSharedPassProbabilities())
                    .build());
          }
          exporter.export();
        }
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("layers", spec.widths());
      metadata.put("inputs", spec.inputs());
      metadata.put("input", spec.input().toString());
      metadata.put("network", spec.networkText());
      metadata.put(
          "activations", spec.denseLayers().stream().map(d -> d.activation().text()).toList());
      metadata.put("trainedWithDropout", spec.dropoutText());
      // Every layer with its dropout, one text each (a dropout method's text holds commas): what
      // training on from this export keeps when no other dropout is asked for.
      metadata.put("trainingLayers", spec.layers().stream().map(LayerSpec::text).toList());
      metadata.put("spec", spec.toString());
      metadata.put("classNames", classNames);
      metadata.put("preprocessing", preprocessing.toMetadata());
      if (origin != null) {
        metadata.put("origin", origin);
      }
      if (temperature != 1) {
        metadata.put("temperature", temperature);
      }
      if (!oodClasses.isEmpty()) {
        metadata.put("oodClasses", oodClasses);
      }
      if (!sampledAs.isEmpty()) {
        // What the Monte Carlo passes sample in place of the layers that cannot run as trained.
        metadata.put("monteCarloSampledAs", ServingGraph.describe(spec, sampledAs));
        metadata.put(MonteCarloStandIns.FIELD, MonteCarloStandIns.toMetadata(sampledAs));
      }
      AtomicFiles.write(staged.resolve(METADATA), Json.MAPPER.writeValueAsBytes(metadata));
      AtomicFiles.replaceDirectory(staged, dir);
    } finally {
      AtomicFiles.deleteRecursively(staged);
    }
  }
}
