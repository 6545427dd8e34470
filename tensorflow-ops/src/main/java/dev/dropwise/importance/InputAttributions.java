package dev.dropwise.importance;

import dev.dropwise.util.CanonicalText;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Registry.Described;
import dev.dropwise.util.Registry.Parameter;
import java.util.List;
import java.util.Locale;

/**
 * The one registry of input attributions: the built-ins below, plugins on the classpath ({@code
 * META-INF/services/dev.dropwise.importance.InputAttributions$Entry}), and run-time registrations.
 */
public final class InputAttributions {
  private InputAttributions() {}

  /** An input attribution as the text format knows it, for a user's own to implement. */
  public interface Entry extends Registry.Entry<InputAttribution> {}

  private static final String DEFAULT_COMPOSITE = "epsilon-gamma-box";

  /** A layer kind's rule: the composite's unless written. */
  private static Parameter rule(String key, int index, String doc) {
    return new Parameter(
        key, "the composite's", doc, s -> LrpComposite.rulesOf(s.text("composite")).get(index));
  }

  private static final List<Registry.Entry<InputAttribution>> BUILT_IN =
      List.of(
          new Described<>(
              "lrp",
              List.of(),
              "LRP to the input with a composite of rules (zennit's)",
              List.of(
                  new Parameter(
                      "composite",
                      DEFAULT_COMPOSITE,
                      "which rule where: " + String.join(", ", LrpComposite.names())),
                  rule(
                      "dense",
                      0,
                      "the rule of Dense layers: eps, zplus, alpha1beta0, alpha2beta1, gamma"),
                  rule("conv", 1, "the rule of convolutions: as dense"),
                  rule(
                      "first",
                      2,
                      "the first linear layer's rule: zbox, flat, zbox-if-conv, by-kind, or a dense rule"),
                  new Parameter(
                      "epsilon",
                      CanonicalText.value(ImportanceSpec.DEFAULT_EPSILON),
                      "the stabiliser of eps, gamma and zbox"),
                  new Parameter(
                      "gamma",
                      CanonicalText.value(ImportanceSpec.DEFAULT_GAMMA),
                      "gamma's weight on positive contributions")),
              s -> {
                String composite = s.text("composite").trim().toLowerCase(Locale.ROOT);
                return new InputAttribution.Lrp(
                    composite,
                    new LrpComposite(
                        s.text("dense"),
                        s.text("conv"),
                        s.text("first"),
                        (float) s.number("epsilon"),
                        (float) s.number("gamma")));
              }),
          new Described<>(
              "gradient",
              List.of(),
              "d logit / d input (signed)",
              List.of(),
              s -> new InputAttribution.Gradient(false)),
          new Described<>(
              "gradient-x-input",
              List.of("gxi", "input-x-gradient"),
              "gradient times the input",
              List.of(),
              s -> new InputAttribution.Gradient(true)),
          new Described<>(
              "integrated-gradients",
              List.of("ig"),
              "integrated gradients from the baseline (midpoint rule)",
              List.of(new Parameter("steps", "32", "points on the path, >= 1")),
              s -> new InputAttribution.IntegratedGradients(s.integer("steps"))),
          new Described<>(
              "smoothgrad",
              List.of(),
              "the gradient averaged over noisy copies of the input",
              List.of(
                  new Parameter("samples", "16", "noisy copies per example, >= 1"),
                  new Parameter(
                      "noise", "0.15", "the noise's standard deviation over the input's range"),
                  new Parameter("seed", "1", "the noise's seed")),
              s ->
                  new InputAttribution.SmoothGrad(
                      s.integer("samples"), (float) s.number("noise"), s.integer("seed"))),
          new Described<>(
              "grad-cam",
              List.of("gradcam"),
              "Grad-CAM: a layer's feature maps weighted by their mean gradient, resized to the input",
              List.of(
                  new Parameter(
                      "layer",
                      "last",
                      "the layer with feature maps, e.g. conv_0; last: the last one")),
              s -> new InputAttribution.GradCam(s.text("layer").trim())));

  private static final Registry<InputAttribution> REGISTRY =
      new Registry<>("input attribution", BUILT_IN, Entry.class);

  /** Registers {@code attribution}; see {@link Registry#register}. */
  public static void register(Registry.Entry<InputAttribution> attribution) {
    REGISTRY.register(attribution);
  }

  /** Every registered attribution, built-ins first. */
  public static List<Registry.Entry<InputAttribution>> all() {
    return REGISTRY.all();
  }

  /** Parses {@code name[:key=value,...]} with the registered attributions. */
  public static InputAttribution parse(String text) {
    return REGISTRY.parse(text, "input attribution");
  }

  static String text(InputAttribution attribution) {
    return REGISTRY.text(attribution, attribution.name(), attribution.settings());
  }
}
