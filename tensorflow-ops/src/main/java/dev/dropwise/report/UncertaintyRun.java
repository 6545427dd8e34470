package dev.dropwise.report;

import dev.dropwise.analysis.UncertaintyEvaluation;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.report.UncertaintyPlan.Budget;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model of the uncertainty study, trained, exported and measured, as its runs directory keeps
 * it: the measures of the predictor the study compares (Monte Carlo dropout where the export can
 * sample, serving_default where it cannot, the average of the members for the deep ensemble) on the
 * known test images with the held-out classes' as the unknown ones, and on the shifted test images
 * ({@code shifted_} before each name); serving_default's beside them.
 *
 * @param predictor which predictor {@code measures} are of
 * @param learnedRates the drop rates Concrete dropout learned, by layer name (else empty)
 * @param error why the run failed, or null
 */
record UncertaintyRun(
    String method,
    long seed,
    int epochs,
    double seconds,
    String predictor,
    Map<String, Double> measures,
    Map<String, Double> deterministic,
    Map<String, Double> learnedRates,
    String error) {

  /** The start of the name of every measure on the shifted test images. */
  static final String SHIFTED = "shifted_";

  boolean failed() {
    return error != null;
  }

  /** The test images a run is measured on, before the export's own scaling. */
  record TestSets(Dataset known, Dataset unknown, Dataset shifted) {}

  /** Where a run trains and what it is measured with. */
  record Setting(
      ClassificationData data,
      TestSets sets,
      List<String> heldOut,
      TrainConfig config,
      double validation,
      int samples) {}

  /**
   * The run of {@code method} (a method's text, or {@link UncertaintyPlan#ENSEMBLE}) in {@code
   * budget}'s network, of {@code seed}.
   */
  static UncertaintyRun of(
      String method, Budget budget, long seed, Setting setting, ProgressListener progress) {
    boolean ensemble = method.equals(UncertaintyPlan.ENSEMBLE);
    ModelSpec spec =
        ReproductionReport.mlp(setting.data(), budget.hidden(), ensemble ? "none" : method);
    return ensemble
        ? ensemble(spec, seed, budget.members(), setting, progress)
        : of(method, spec, seed, setting, progress);
  }

  /**
   * Trains {@code spec} with {@code seed} and measures it; a run that fails (divergence, a method
   * refused) comes back failed, with its error.
   */
  static UncertaintyRun of(
      String method, ModelSpec spec, long seed, Setting setting, ProgressListener progress) {
    long start = System.nanoTime();
    try (Exported model = train(spec, seed, seed, setting, progress)) {
      int samples = model.serving().hasMonteCarlo() ? setting.samples() : 0;
      List<UncertaintyEvaluation.Result> test =
          UncertaintyEvaluation.evaluate(
              model.serving(), setting.sets().known(), setting.sets().unknown(), samples, k -> {});
      List<UncertaintyEvaluation.Result> shifted =
          UncertaintyEvaluation.evaluate(
              model.serving(), setting.sets().shifted(), null, samples, k -> {});
      int last = test.size() - 1;
      return new UncertaintyRun(
          method,
          seed,
          model.epochs(),
          seconds(start),
          test.get(last).predictor(),
          withShifted(test.get(last), shifted.get(last)),
          withShifted(test.get(0), shifted.get(0)),
          model.learnedRates(),
          null);
    } catch (RuntimeException | IOException e) {
      return failed(method, seed, start, e);
    }
  }

  /**
   * A deep ensemble of {@code members} dropout-free models ({@code spec}) on the same training and
   * validation split as every model of {@code seed}, member k initialised and shuffled with seed
   * {@code seed + 1000·k} (member 0 is the dropout-free model of the same seed): their predictions
   * averaged, the members as the samples whose disagreement is the mutual information
   * (Lakshminarayanan et al. 2017). Its epochs: the members' mean.
   */
  static UncertaintyRun ensemble(
      ModelSpec spec, long seed, int members, Setting setting, ProgressListener progress) {
    long start = System.nanoTime();
    TestSets sets = setting.sets();
    int classes = setting.data().classNames().size();
    MonteCarlo.Accumulator known = new MonteCarlo.Accumulator(sets.known().size(), classes);
    MonteCarlo.Accumulator unknown = new MonteCarlo.Accumulator(sets.unknown().size(), classes);
    MonteCarlo.Accumulator shifted = new MonteCarlo.Accumulator(sets.shifted().size(), classes);
    int epochs = 0;
    try {
      for (int k = 0; k < members; k++) {
        try (Exported member = train(spec, seed, seed + 1000L * k, setting, progress)) {
          known.add(member.probabilities(sets.known()));
          unknown.add(member.probabilities(sets.unknown()));
          shifted.add(member.probabilities(sets.shifted()));
          epochs += member.epochs();
        }
      }
    } catch (RuntimeException | IOException e) {
      return failed(UncertaintyPlan.ENSEMBLE, seed, start, e);
    }
    String name = "ensemble (" + members + " models)";
    UncertaintyEvaluation.Result test =
        UncertaintyEvaluation.ofSamples(
            name, known.result(), sets.known().labels(), unknown.result());
    UncertaintyEvaluation.Result moved =
        UncertaintyEvaluation.ofSamples(name, shifted.result(), sets.shifted().labels(), null);
    return new UncertaintyRun(
        UncertaintyPlan.ENSEMBLE,
        seed,
        Math.round((float) epochs / members),
        seconds(start),
        name,
        withShifted(test, moved),
        Map.of(),
        Map.of(),
        null);
  }

  /**
   * A trained model exported to a folder of its own, loaded; closing deletes the folder (a folder
   * left behind in the system's temporary directory does not fail a run that was measured).
   */
  private record Exported(
      ServingModel serving, Path folder, int epochs, Map<String, Double> learnedRates)
      implements AutoCloseable {

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
  }

  /**
   * Trains {@code spec} on the split {@code splitSeed} draws, with the initial weights, example
   * order and masks of {@code seed}.
   */
  private static Exported train(
      ModelSpec spec, long splitSeed, long seed, Setting setting, ProgressListener progress)
      throws IOException {
    ClassificationData data = setting.data();
    TrainConfig config = setting.config().withSeeds(RunSeeds.from(seed));
    Dataset.Split split =
        data.train().split(setting.validation(), RunSeeds.from(splitSeed).shuffle());
    Path folder = Files.createTempDirectory("dropwise-uncertainty-");
    boolean exported = false;
    try (TrainingRun run =
        Trainer.train(spec, split.train(), split.validation(), config, progress)) {
      Path dir = folder.resolve("model");
      SavedModelExport.export(
          run.model(),
          dir,
          data.preprocessing(),
          data.classNames(),
          1,
          setting.heldOut(),
          run.monteCarloLayers().forExport());
      Map<String, Double> learned = new LinkedHashMap<>();
      run.model()
          .learnedRates()
          .forEach((layer, rate) -> learned.put(spec.layerNames().get(layer), rate));
      Exported model = new Exported(ServingModel.load(dir), folder, run.history().size(), learned);
      exported = true;
      return model;
    } finally {
      if (!exported) {
        deleteQuietly(folder);
      }
    }
  }

  private static void deleteQuietly(Path folder) {
    try {
      AtomicFiles.deleteRecursively(folder);
    } catch (IOException e) {
      // A temporary folder: the system's cleaning takes what is left.
    }
  }

  private static Map<String, Double> withShifted(
      UncertaintyEvaluation.Result test, UncertaintyEvaluation.Result shifted) {
    Map<String, Double> all = new LinkedHashMap<>(test.measures());
    shifted.measures().forEach((name, value) -> all.put(SHIFTED + name, value));
    return all;
  }

  private static UncertaintyRun failed(String method, long seed, long start, Exception e) {
    return new UncertaintyRun(
        method, seed, 0, seconds(start), null, Map.of(), Map.of(), Map.of(), Errors.describe(e));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
