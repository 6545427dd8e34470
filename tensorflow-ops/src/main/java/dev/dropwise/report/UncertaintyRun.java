package dev.dropwise.report;

import dev.dropwise.analysis.UncertaintyEvaluation;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.report.UncertaintyPlan.Budget;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.Errors;
import java.io.IOException;
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
    try (TrainedExport model = train(spec, seed, seed, setting, progress)) {
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
        try (TrainedExport member = train(spec, seed, seed + 1000L * k, setting, progress)) {
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

  private static Map<String, Double> withShifted(
      UncertaintyEvaluation.Result test, UncertaintyEvaluation.Result shifted) {
    Map<String, Double> all = new LinkedHashMap<>(test.measures());
    shifted.measures().forEach((name, value) -> all.put(SHIFTED + name, value));
    return all;
  }

  private static TrainedExport train(
      ModelSpec spec, long splitSeed, long seed, Setting setting, ProgressListener progress)
      throws IOException {
    return TrainedExport.train(
        spec,
        setting.data(),
        setting.heldOut(),
        setting.config(),
        setting.validation(),
        splitSeed,
        seed,
        progress);
  }

  private static UncertaintyRun failed(String method, long seed, long start, Exception e) {
    return new UncertaintyRun(
        method, seed, 0, seconds(start), null, Map.of(), Map.of(), Map.of(), Errors.describe(e));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
