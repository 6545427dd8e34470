package dev.dropwise.analysis;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.HeldOutClasses;
import dev.dropwise.data.KnownClasses;
import dev.dropwise.data.Shift;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.export.ServingModel;
import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * How trustworthy an exported model's uncertainty is on a test set, the deterministic {@code
 * serving_default} and Monte Carlo dropout side by side (Ovadia et al. 2019): accuracy, negative
 * log-likelihood, Brier score, ECE and adaptive ECE, the reliability diagram's bins, the
 * risk–coverage curve and its area; and, given examples from outside the training distribution, how
 * well each uncertainty score detects them (AUROC, FPR at 95% TPR).
 */
public final class UncertaintyEvaluation {
  private UncertaintyEvaluation() {}

  /**
   * One way of predicting: its name, the measures by name (in the order of the table), its
   * reliability bins and its risk–coverage curve.
   */
  public record Result(
      String predictor,
      Map<String, Double> measures,
      List<Calibration.Bin> reliability,
      SelectivePrediction.Curve riskCoverage) {}

  /**
   * The evaluation of {@code model} on {@code test}; {@code ood} (or null) holds examples from
   * outside the training distribution (their labels unused); {@code samples} Monte Carlo passes (0:
   * the deterministic prediction alone), whose progress on the test set {@code progress} hears.
   */
  public static List<Result> evaluate(
      ServingModel model, Dataset test, Dataset ood, int samples, IntConsumer progress) {
    return evaluate(model, test, ood, samples, MonteCarlo.Draw.DEFAULT, progress);
  }

  /**
   * {@link #evaluate(ServingModel, Dataset, Dataset, int, IntConsumer)} with the passes' masks
   * drawn as {@code draw} says.
   */
  public static List<Result> evaluate(
      ServingModel model,
      Dataset test,
      Dataset ood,
      int samples,
      MonteCarlo.Draw draw,
      IntConsumer progress) {
    List<Result> results = new ArrayList<>();
    results.add(
        result(
            "serving_default",
            deterministic(model, test, test.labels()),
            ood == null ? null : deterministic(model, ood, new int[ood.size()]),
            null,
            null));
    if (samples > 0) {
      MonteCarlo mc =
          model.predictMonteCarlo(test.features(), test.size(), samples, draw, progress);
      MonteCarlo oodMc =
          ood == null
              ? null
              : model.predictMonteCarlo(ood.features(), ood.size(), samples, draw, done -> {});
      String live = draw.sampling() == MonteCarlo.Sampling.LIVE ? " live" : "";
      results.add(
          ofSamples("mc_dropout" + live + " (T=" + samples + ")", mc, test.labels(), oodMc));
    }
    return results;
  }

  /**
   * The evaluation of predictions sampled by other means than dropout (a deep ensemble's members,
   * each a sample): {@code test}'s samples, whose examples have {@code labels}, and those of the
   * examples from outside the training distribution ({@code ood}, or null).
   */
  public static Result ofSamples(String predictor, MonteCarlo test, int[] labels, MonteCarlo ood) {
    return result(
        predictor,
        new Predictions(test.mean(), labels, test.classes()),
        ood == null
            ? null
            : new Predictions(
                ood.mean(), new int[ood.mean().length / ood.classes()], ood.classes()),
        test,
        ood);
  }

  /** The measures of one predictor on the test set under one shift at one severity. */
  public record ShiftResult(
      Shift shift, int severity, String predictor, Map<String, Double> measures) {}

  /** The start of the name of every out-of-distribution detection measure. */
  public static final String DETECTION = "ood_";

  /** The seed of every shift's noise and shuffle: the same test set always shifts alike. */
  public static final long SHIFT_SEED = 1;

  /**
   * The evaluation of {@code model} on {@code test} (images of {@code shape}) under each of {@code
   * shifts} at every severity, as Ovadia et al. (2019) measure how uncertainty holds up under
   * shift; severity 0 repeats {@code unshifted}, the {@link #evaluate} of the same test set and
   * passes, without its out-of-distribution measures. {@code samples} Monte Carlo passes (0:
   * serving_default alone) drawn as {@code draw} says, whose progress over all shifted sets {@code
   * progress} hears.
   */
  public static List<ShiftResult> underShifts(
      ServingModel model,
      Dataset test,
      List<Integer> shape,
      List<Shift> shifts,
      List<Result> unshifted,
      int samples,
      MonteCarlo.Draw draw,
      IntConsumer progress) {
    List<ShiftResult> results = new ArrayList<>();
    int done = 0;
    for (Shift shift : shifts) {
      for (Result r : unshifted) {
        Map<String, Double> ofTheTestSet = new LinkedHashMap<>(r.measures());
        ofTheTestSet.keySet().removeIf(m -> m.startsWith(DETECTION));
        results.add(new ShiftResult(shift, 0, r.predictor(), ofTheTestSet));
      }
      for (int severity = 1; severity <= Shift.SEVERITIES; severity++) {
        Dataset shifted = shift.apply(test, shape, severity, SHIFT_SEED);
        int before = done;
        for (Result r :
            evaluate(model, shifted, null, samples, draw, k -> progress.accept(before + k))) {
          results.add(new ShiftResult(shift, severity, r.predictor(), r.measures()));
        }
        done += samples;
      }
    }
    return results;
  }

  /**
   * The classes whose test examples are out of distribution for {@code model}: those {@code labels}
   * name (by name or index; refusals name {@code parameter}), else those it was trained without
   * ({@link ServingModel#oodClasses}); null when neither names any.
   */
  public static HeldOutClasses heldOut(ServingModel model, List<String> labels, String parameter)
      throws IOException {
    List<String> chosen = labels != null ? labels : model.oodClasses();
    if (chosen.isEmpty()) {
      return null;
    }
    List<String> names = model.classNames();
    return HeldOutClasses.of(
        chosen,
        KnownClasses.ofModel(
            names != null ? names : ClassificationData.indexNames(model.network().classes())),
        parameter);
  }

  /**
   * A test set split for out-of-distribution detection by held-out classes: the examples of the
   * classes the model knows, and ({@code held} not null) those of the held-out classes.
   */
  public record TestSets(Dataset known, Dataset unknown, HeldOutClasses held) {}

  /**
   * {@code test} split by the classes unknown to {@code model}: the unknown examples are those of
   * the classes {@code labels} name (refusals name {@code parameter}), else of the classes the
   * model was trained without; the known ones leave out both. Refused when the known side comes out
   * empty, and the unknown one unless {@code oodGiven} (another source stands for it).
   */
  public static TestSets split(
      ServingModel model, Dataset test, List<String> labels, String parameter, boolean oodGiven)
      throws IOException {
    HeldOutClasses held = heldOut(model, labels, parameter);
    HeldOutClasses recorded = heldOut(model, null, parameter);
    if (held == null) {
      return new TestSets(test, null, null);
    }
    Dataset known = held.without(recorded == null ? test : recorded.without(test));
    Dataset outside = held.only(test);
    String whose = labels == null ? ", which the model was trained without (its oodClasses)" : "";
    if (outside.size() == 0 && labels != null && !oodGiven) {
      throw new ParameterException(
          parameter, String.join(",", labels), "the test set has no example of " + held);
    }
    if (outside.size() == 0 && !oodGiven) {
      throw new IllegalArgumentException("the test set has no example of " + held + whose);
    }
    if (known.size() == 0) {
      throw new IllegalArgumentException(
          "the test set has no example of a class the model knows, beside " + held + whose);
    }
    return new TestSets(known, outside, held);
  }

  /** {@code data} through serving_default, with {@code labels} (zeros where they mean nothing). */
  private static Predictions deterministic(ServingModel model, Dataset data, int[] labels) {
    ServingModel.Prediction p = model.predict(data.features(), data.size());
    return new Predictions(p.probabilities(), labels, p.classes());
  }

  private static Result result(
      String name, Predictions p, Predictions ood, MonteCarlo mc, MonteCarlo oodMc) {
    Map<String, Double> measures = new LinkedHashMap<>();
    measures.put("accuracy", p.accuracy());
    measures.put("nll", p.negativeLogLikelihood());
    measures.put("brier", p.brier());
    List<Calibration.Bin> reliability = Calibration.equalWidth(p, Calibration.BINS);
    measures.put("ece", Calibration.error(reliability));
    measures.put("adaptive_ece", Calibration.adaptiveError(p));
    SelectivePrediction.Curve curve = SelectivePrediction.byConfidence(p);
    measures.put("aurc", curve.area());
    if (ood != null) {
      detection(measures, "max_probability", p, ood, (q, i) -> 1 - q.confidence(i));
      detection(measures, "entropy", p, ood, Predictions::entropy);
      if (mc != null) {
        measures.put(
            DETECTION + "auroc_mutual_information",
            OodDetection.auroc(
                toDouble(mc.mutualInformation()), toDouble(oodMc.mutualInformation())));
        measures.put(
            DETECTION + "fpr95_mutual_information",
            OodDetection.falsePositivesAt95(
                toDouble(mc.mutualInformation()), toDouble(oodMc.mutualInformation())));
      }
    }
    return new Result(name, measures, reliability, curve);
  }

  /** An uncertainty score of example {@code i} of {@code p}: higher, less certain. */
  private interface Score {
    double of(Predictions p, int i);
  }

  private static void detection(
      Map<String, Double> measures, String name, Predictions p, Predictions ood, Score score) {
    detection(
        measures,
        name,
        IntStream.range(0, p.count()).mapToDouble(i -> score.of(p, i)).toArray(),
        IntStream.range(0, ood.count()).mapToDouble(i -> score.of(ood, i)).toArray());
  }

  private static void detection(
      Map<String, Double> measures, String name, double[] inside, double[] outside) {
    measures.put(DETECTION + "auroc_" + name, OodDetection.auroc(inside, outside));
    measures.put(DETECTION + "fpr95_" + name, OodDetection.falsePositivesAt95(inside, outside));
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
