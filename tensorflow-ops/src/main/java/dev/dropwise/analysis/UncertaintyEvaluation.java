package dev.dropwise.analysis;

import dev.dropwise.data.Dataset;
import dev.dropwise.export.MonteCarlo;
import dev.dropwise.export.ServingModel;
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
    List<Result> results = new ArrayList<>();
    results.add(
        result(
            "serving_default",
            deterministic(model, test, test.labels()),
            ood == null ? null : deterministic(model, ood, new int[ood.size()]),
            null,
            null));
    if (samples > 0) {
      MonteCarlo mc = model.predictMonteCarlo(test.features(), test.size(), samples, progress);
      MonteCarlo oodMc =
          ood == null ? null : model.predictMonteCarlo(ood.features(), ood.size(), samples);
      results.add(
          result(
              "mc_dropout (T=" + samples + ")",
              new Predictions(mc.mean(), test.labels(), mc.classes()),
              oodMc == null
                  ? null
                  : new Predictions(oodMc.mean(), new int[ood.size()], oodMc.classes()),
              mc,
              oodMc));
    }
    return results;
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
            "ood_auroc_mutual_information",
            OodDetection.auroc(
                toDouble(mc.mutualInformation()), toDouble(oodMc.mutualInformation())));
        measures.put(
            "ood_fpr95_mutual_information",
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
    measures.put("ood_auroc_" + name, OodDetection.auroc(inside, outside));
    measures.put("ood_fpr95_" + name, OodDetection.falsePositivesAt95(inside, outside));
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
