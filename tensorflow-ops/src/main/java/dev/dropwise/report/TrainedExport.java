package dev.dropwise.report;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's model, trained, exported to a temporary folder of its own ({@code folder/model}) and
 * loaded, with its epochs and the rates Concrete dropout learned (by layer name; else empty);
 * closing deletes the folder (a folder left behind in the system's temporary directory does not
 * fail a run that was measured).
 */
record TrainedExport(
    ServingModel serving, Path folder, int epochs, Map<String, Double> learnedRates)
    implements AutoCloseable {

  /** The export's directory. */
  Path dir() {
    return folder.resolve("model");
  }

  float[] probabilities(Dataset data) {
    return serving.predict(data.features(), data.size()).probabilities();
  }

  @Override
  public void close() {
    try {
      serving.close();
    } finally {
      deleteQuietly(folder);
    }
  }

  /**
   * Trains {@code spec} on {@code data}'s training set less the {@code validation} share that
   * {@code splitSeed} draws, with the initial weights, example order and masks of {@code seed}, and
   * exports it, recording the classes {@code heldOut} of training.
   */
  static TrainedExport train(
      ModelSpec spec,
      ClassificationData data,
      List<String> heldOut,
      TrainConfig config,
      double validation,
      long splitSeed,
      long seed,
      ProgressListener progress)
      throws IOException {
    Dataset.Split split = data.train().split(validation, RunSeeds.from(splitSeed).shuffle());
    Path folder = Files.createTempDirectory("dropwise-study-");
    boolean exported = false;
    try (TrainingRun run =
        Trainer.train(
            spec,
            split.train(),
            split.validation(),
            config.withSeeds(RunSeeds.from(seed)),
            progress)) {
      Path dir = folder.resolve("model");
      SavedModelExport.export(
          run.model(),
          dir,
          data.preprocessing(),
          data.classNames(),
          1,
          heldOut,
          run.monteCarloLayers().forExport());
      Map<String, Double> learned = new LinkedHashMap<>();
      run.model()
          .learnedRates()
          .forEach((layer, rate) -> learned.put(spec.layerNames().get(layer), rate));
      TrainedExport model =
          new TrainedExport(ServingModel.load(dir), folder, run.history().size(), learned);
      exported = true;
      return model;
    } finally {
      if (!exported) {
        deleteQuietly(folder);
      }
    }
  }

  static void deleteQuietly(Path folder) {
    try {
      AtomicFiles.deleteRecursively(folder);
    } catch (IOException e) {
      // A temporary folder: the system's cleaning takes what is left.
    }
  }
}
