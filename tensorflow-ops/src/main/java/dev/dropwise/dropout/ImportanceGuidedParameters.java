package dev.dropwise.dropout;

import dev.dropwise.importance.ImportanceMeasures;
import dev.dropwise.util.Registry.Parameter;
import dev.dropwise.util.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The parameters of the importance-guided methods, LRP-guided dropout and PFID, with their defaults
 * (their variants, lrp-official and pfid-paper, change some of them); {@link BuiltInDropoutMethods}
 * registers them.
 */
final class ImportanceGuidedParameters {
  private ImportanceGuidedParameters() {}

  private static Parameter p(String name, String defaultValue, String doc) {
    return new Parameter(name, defaultValue, doc);
  }

  static final List<Parameter> LRP =
      withMeasureSettings(
          List.of(
              p("p", "0.35", "mean drop rate, in (0, 1)").writtenAlways(),
              p("rule", "eps", "LRP rule: eps, zplus, alpha1beta0, alpha2beta1, gamma"),
              new Parameter(
                  "importance",
                  "lrp-RULE",
                  "the measure units are ranked by: LRP with the rule, or any of explain's (conductance, ...)",
                  s -> "lrp-" + s.text("rule")),
              p(
                  "select",
                  "rank",
                  "rank: rate by relevance rank; top / low: the k most / least relevant; sample: k drawn by relevance"),
              new Parameter(
                  "bias",
                  "0.5 with select=rank, else 0",
                  "select=rank: the most relevant unit's rate is p(1 + bias), the least's p(1 - bias); in [0, 1]",
                  s -> select(s).equals("rank") ? "0.5" : "0"),
              p(
                  "mode",
                  "batch",
                  "batch: one ranking from the batch mean; example: one per example"),
              new Parameter(
                  "timing",
                  "after, current with mode=example",
                  "after: relevance after the update, used for the next batch; current: this batch's",
                  s -> s.oneOf("mode", "batch", "example").equals("example") ? "current" : "after"),
              p("tau", "1", "select=sample: temperature, > 0"),
              new Parameter(
                  "scale",
                  "uniform, ema with select=sample",
                  "uniform: kept units scaled by width / (width - k); ema: by each unit's estimated keep rate",
                  s -> select(s).equals("sample") ? "ema" : "uniform"),
              p("alpha", "0.01", "scale=ema: elasticity of the drop-rate estimate, in (0, 1]"),
              p("examples", "8", "examples of the batch the relevance is computed on, or all")),
          "lrp-eps",
          ImportanceGuidedParameters::lrpMeasure,
          "target",
          "epsilon",
          "gamma",
          "steps",
          "path");

  static final List<Parameter> PFID =
      withMeasureSettings(
          List.of(
              p("alpha", "0.5", "the lemma's alpha in p = 1 - alpha * norm(I), in (0, 1]"),
              p(
                  "importance",
                  "gradient",
                  "importance measure: any of explain's (lrp-eps, gradient, conductance, ...)"),
              p(
                  "form",
                  "linear",
                  "linear (the lemma), eq13 (with lambda's epoch schedule) or compounded"),
              p("r0", "0.5", "form=eq13 / compounded: base rate"),
              p("lambda", "1", "form=eq13 / compounded: initial lambda"),
              p("kappa", "1", "form=eq13 / compounded: lambda's growth"),
              p("theta", "1", "form=eq13 / compounded: the importance exponent"),
              p(
                  "update",
                  "step",
                  "step: scores from the previous step; epoch: the mean over the previous epoch"),
              new Parameter(
                  "mean",
                  "0.5, 0 with form=compounded",
                  "rates rescaled to this mean, 0 = as computed",
                  s ->
                      s.oneOf("form", "linear", "eq13", "compounded").equals("compounded")
                          ? "0"
                          : "0.5"),
              p("max", "0.9", "cap on a unit's rate"),
              p("examples", "8", "examples of the batch the scores are computed on, or all")),
          "gradient",
          s -> s.text("importance"),
          "target",
          "steps",
          "path",
          "epsilon",
          "gamma");

  /**
   * {@code own} then the settings of a method's measure ({@code measure} names it) that the method
   * takes as its own and hands on, {@code keys} of: {@code target} (shown at {@code shownTarget}'s
   * default), {@code steps}, {@code path}, {@code epsilon}, {@code gamma}.
   */
  static List<Parameter> withMeasureSettings(
      List<Parameter> own, String shownTarget, Function<Settings, String> measure, String... keys) {
    List<Parameter> out = new ArrayList<>(own);
    for (String key : keys) {
      out.add(
          switch (key) {
            case "target" ->
                ImportanceMeasures.handedOn(
                    key, shownTarget, "the measure's target class: predicted or label", measure);
            case "steps" ->
                ImportanceMeasures.handedOn(
                    key,
                    "conductance",
                    "importance=conductance / internal-influence: interpolation steps",
                    measure);
            case "path" ->
                ImportanceMeasures.handedOn(
                    key, "conductance", ImportanceMeasures.PATH.doc(), measure);
            case "epsilon" ->
                ImportanceMeasures.handedOn(
                    key, "lrp-eps", "an LRP measure's stabiliser (eps, gamma)", measure);
            case "gamma" ->
                ImportanceMeasures.handedOn(
                    key, "lrp-gamma", "LRP-gamma's weight on positive contributions", measure);
            default -> throw new IllegalArgumentException("no measure setting " + key);
          });
    }
    return List.copyOf(out);
  }

  /**
   * The measure LRP-guided dropout ranks by: LRP with its rule, or the one {@code importance}
   * names; both written must agree.
   */
  static String lrpMeasure(Settings s) {
    String measure = s.text("importance");
    if (s.containsKey("rule") && !measure.equals("lrp-" + s.text("rule"))) {
      throw new IllegalArgumentException(
          "rule="
              + s.text("rule")
              + " with importance="
              + measure
              + " in "
              + s.where()
              + " is not allowed: rule names an LRP measure; write one of them (importance=lrp-"
              + s.text("rule")
              + " is rule="
              + s.text("rule")
              + ")");
    }
    return measure;
  }

  static String select(Settings s) {
    return s.oneOf("select", "rank", "sample", "top", "low");
  }
}
