package dev.dropwise.importance;

import dev.dropwise.util.CanonicalText;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Registry.Described;
import dev.dropwise.util.Registry.Parameter;
import dev.dropwise.util.Settings;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one registry of importance measures: the built-ins below, plugins on the classpath, and
 * run-time registrations.
 */
public final class ImportanceMeasures {
  private ImportanceMeasures() {}

  /** A built-in measure: its entry and its factory. */
  private static final Parameter TARGET =
      new Parameter(
          "target", "predicted", "the class whose logit is explained: predicted or label");

  private static final Parameter EPSILON =
      new Parameter(
          "epsilon",
          CanonicalText.value(ImportanceSpec.DEFAULT_EPSILON),
          "the stabiliser added to denominators");

  /** Conductance's path setting, for the measure and for the methods that rank by it. */
  public static final Parameter PATH =
      new Parameter(
          "path",
          "exact",
          "exact: every point of the conductance path through the network; factored: the first layer's products shared, "
              + "(a x)W = a (xW), and the baseline one row (faster, rounded differently)");

  /** Whether {@code s} asks for the factored conductance path ({@link #PATH}). */
  public static boolean factored(Settings s) {
    return s.oneOf("path", "exact", "factored").equals("factored");
  }

  private static Target target(Settings s) {
    return Target.parse(s.text("target"));
  }

  private static float epsilon(Settings s) {
    return (float) s.number("epsilon");
  }

  private static final List<Registry.Entry<ImportanceSpec>> BUILT_IN =
      List.of(
          new Described<>(
              "lrp-eps",
              List.of("lrp", "lrp-epsilon", "eps"),
              "LRP with the epsilon rule",
              List.of(EPSILON, TARGET),
              s -> new ImportanceSpec.Lrp(new LrpRule.Epsilon(epsilon(s)), target(s))),
          new Described<>(
              "lrp-zplus",
              List.of("zplus"),
              "LRP with the z+ rule (positive weights only)",
              List.of(TARGET),
              s -> new ImportanceSpec.Lrp(new LrpRule.ZPlus(), target(s))),
          new Described<>(
              "lrp-alpha1beta0",
              List.of("alpha1beta0"),
              "LRP with the alpha-beta rule, alpha 1, beta 0",
              List.of(TARGET),
              s -> new ImportanceSpec.Lrp(new LrpRule.AlphaBeta(1, 0), target(s))),
          new Described<>(
              "lrp-alpha2beta1",
              List.of("alpha2beta1"),
              "LRP with the alpha-beta rule, alpha 2, beta 1",
              List.of(TARGET),
              s -> new ImportanceSpec.Lrp(new LrpRule.AlphaBeta(2, 1), target(s))),
          new Described<>(
              "lrp-gamma",
              List.of("gamma"),
              "LRP with the gamma rule (positive weights favoured)",
              List.of(
                  new Parameter(
                      "gamma",
                      CanonicalText.value(ImportanceSpec.DEFAULT_GAMMA),
                      "the weight on positive contributions"),
                  EPSILON,
                  TARGET),
              s ->
                  new ImportanceSpec.Lrp(
                      new LrpRule.Gamma((float) s.number("gamma"), epsilon(s)), target(s))),
          new Described<>(
              "gradient",
              List.of(),
              "|d logit / d unit|",
              List.of(TARGET),
              s -> new ImportanceSpec.Gradient(false, target(s))),
          new Described<>(
              "gradient-x-activation",
              List.of("gradientxactivation", "gxa"),
              "gradient times the unit's activation",
              List.of(TARGET),
              s -> new ImportanceSpec.Gradient(true, target(s))),
          new Described<>(
              "conductance",
              List.of(),
              "conductance (integrated gradients through the unit, Riemann sum)",
              List.of(new Parameter("steps", "5", "interpolation steps, >= 1"), PATH, TARGET),
              s -> new ImportanceSpec.Conductance(s.integer("steps"), target(s), factored(s))),
          new Described<>(
              "internal-influence",
              List.of(),
              "the gradient by the unit averaged along the input's path from zero (Leino et al. 2018)",
              List.of(new Parameter("steps", "16", "points on the path, >= 1"), TARGET),
              s -> new ImportanceSpec.InternalInfluence(s.integer("steps"), target(s))),
          new Described<>(
              "grad-cam",
              List.of("gradcam"),
              "Grad-CAM's channel weight: the gradient averaged over a map's positions",
              List.of(TARGET),
              s -> new ImportanceSpec.GradCam(target(s))),
          new Described<>(
              "activation",
              List.of(),
              "|activation|",
              List.of(),
              s -> new ImportanceSpec.ActivationMagnitude()));

  private static final Registry<ImportanceSpec> REGISTRY =
      new Registry<>("importance", BUILT_IN, ImportanceMeasure.class);

  /** Registers {@code measure}; see {@link Registry#register}. */
  public static void register(Registry.Entry<ImportanceSpec> measure) {
    REGISTRY.register(measure);
  }

  /**
   * A setting a dropout method hands on to the measure {@code measure} names among its settings:
   * shown with {@code shownFrom}'s default, read with the named measure's, and not applying (null)
   * where that measure does not take it.
   */
  public static Parameter handedOn(
      String key, String shownFrom, String doc, Function<Settings, String> measure) {
    String shown = REGISTRY.defaultOf(shownFrom, key, Settings.of(Map.of(), shownFrom));
    return new Parameter(key, shown, doc, s -> REGISTRY.defaultOf(measure.apply(s), key, s));
  }

  /** Every registered measure, built-ins first. */
  public static List<Registry.Entry<ImportanceSpec>> all() {
    return REGISTRY.all();
  }

  /**
   * The measure {@code name} with {@code settings}; {@code text} is what the user wrote, for
   * messages.
   */
  /**
   * The text of {@code measure}, written from its name and settings (see {@link Registry#text}).
   */
  static String text(ImportanceSpec measure) {
    return REGISTRY.text(measure, measure.name(), measure.settings());
  }

  /**
   * The settings of {@code measure} that its text writes (those that differ from its defaults):
   * what a dropout method that ranks by it writes after its {@code importance}.
   */
  public static Map<String, String> writtenSettings(ImportanceSpec measure) {
    return CanonicalText.written(
        REGISTRY.require(measure.name(), "the text of a measure named '" + measure.name() + "'"),
        measure.settings());
  }

  /** Parses {@code name[:key=value,...]} with the registered measures. */
  static ImportanceSpec parse(String text) {
    return REGISTRY.parse(text, "importance");
  }

  static ImportanceSpec create(String name, Settings settings, String text) {
    Registry.Entry<ImportanceSpec> measure = REGISTRY.require(name, "'" + text + "'");
    settings.allowOnly(Registry.parameterNames(measure));
    return measure.create(settings);
  }
}
