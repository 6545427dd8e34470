package dev.dropwise.importance;

import dev.dropwise.network.Network;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which {@link LrpRule} each layer gets, as zennit's composites say it: one rule for Dense layers,
 * one for convolutions, and one for the first linear layer, which sees the input (the bounded z^B
 * rule or the flat rule, or whatever its kind gets). The named composites are zennit's, down to
 * which first layers they treat apart: {@code epsilon-gamma-box} gives z^B to a convolution only (a
 * Dense first layer gets ε, as zennit's {@code EpsilonGammaBox} maps {@code ZBox} to convolutions),
 * the flat composites give the flat rule to any first linear layer:
 *
 * <pre>
 *   epsilon                    ε everywhere
 *   epsilon-plus               ε dense, z+ conv
 *   epsilon-alpha2beta1        ε dense, α2β1 conv
 *   epsilon-gamma-box          ε dense, γ conv, z^B first where it is a convolution
 *   epsilon-plus-flat          ε dense, z+ conv, flat first
 *   epsilon-alpha2beta1-flat   ε dense, α2β1 conv, flat first
 * </pre>
 *
 * @param dense the rule of Dense layers, e.g. {@code eps}
 * @param conv the rule of convolutions
 * @param first the first linear layer's rule: {@code zbox}, {@code flat}, {@link #ZBOX_IF_CONV} or
 *     {@link #BY_KIND} (or a dense rule)
 * @param epsilon the stabiliser of ε, γ and z^B
 * @param gamma γ's weight on positive contributions
 */
public record LrpComposite(String dense, String conv, String first, float epsilon, float gamma) {
  /** The first layer gets its kind's rule. */
  public static final String BY_KIND = "by-kind";

  /** z^B where the first linear layer is a convolution, else its kind's rule (zennit's choice). */
  public static final String ZBOX_IF_CONV = "zbox-if-conv";

  /** The rules a hidden layer (and the first) can take. */
  public static final List<String> LAYER_RULES =
      List.of("eps", "zplus", "alpha1beta0", "alpha2beta1", "gamma");

  /** The rules only the first layer can take: they need the input's values, or ignore them. */
  public static final List<String> INPUT_RULES = List.of("zbox", "flat", ZBOX_IF_CONV);

  /** The named composites: dense, conv and first-layer rule. */
  public static final Map<String, List<String>> NAMED =
      Map.of(
          "epsilon", List.of("eps", "eps", BY_KIND),
          "epsilon-plus", List.of("eps", "zplus", BY_KIND),
          "epsilon-alpha2beta1", List.of("eps", "alpha2beta1", BY_KIND),
          "epsilon-gamma-box", List.of("eps", "gamma", ZBOX_IF_CONV),
          "epsilon-plus-flat", List.of("eps", "zplus", "flat"),
          "epsilon-alpha2beta1-flat", List.of("eps", "alpha2beta1", "flat"));

  /** Refuses a rule where it does not apply, naming the layer and what it takes. */
  public LrpComposite {
    dense = checked("dense", dense, LAYER_RULES);
    conv = checked("conv", conv, LAYER_RULES);
    first =
        first.equals(BY_KIND)
            ? first
            : checked(
                "first", first, Stream.concat(INPUT_RULES.stream(), LAYER_RULES.stream()).toList());
    if (!(epsilon >= 0) || !(gamma >= 0)) {
      throw new IllegalArgumentException(
          "LRP epsilon=" + epsilon + ", gamma=" + gamma + " is not allowed: both must be >= 0");
    }
  }

  /** The composite called {@code name} ({@link #NAMED}). */
  public static LrpComposite named(String name, float epsilon, float gamma) {
    List<String> rules = rulesOf(name);
    return new LrpComposite(rules.get(0), rules.get(1), rules.get(2), epsilon, gamma);
  }

  /**
   * The dense, conv and first-layer rules of the composite called {@code name} (any case); refused,
   * with the names allowed, where there is none.
   */
  public static List<String> rulesOf(String name) {
    List<String> rules = NAMED.get(name.trim().toLowerCase(Locale.ROOT));
    if (rules == null) {
      throw new IllegalArgumentException(
          "composite=" + name + " is not allowed; use one of " + String.join(", ", names()));
    }
    return rules;
  }

  /** The composite names, sorted. */
  public static List<String> names() {
    return NAMED.keySet().stream().sorted().toList();
  }

  /**
   * The rule of {@code layer}, the network's first linear layer when {@code first} (it sees the
   * input), bounds from {@code space} for z^B.
   */
  public LrpRule ruleAt(boolean firstLinear, Network.Linear layer, InputSpace space) {
    String byKind = layer.kind() == Network.Kind.DENSE ? dense : conv;
    String name =
        !firstLinear || first.equals(BY_KIND)
            ? byKind
            : first.equals(ZBOX_IF_CONV)
                ? (layer.kind() == Network.Kind.CONV ? "zbox" : byKind)
                : first;
    return switch (name) {
      case "eps" -> new LrpRule.Epsilon(epsilon);
      case "zplus" -> new LrpRule.ZPlus();
      case "alpha1beta0" -> new LrpRule.AlphaBeta(1, 0);
      case "alpha2beta1" -> new LrpRule.AlphaBeta(2, 1);
      case "gamma" -> new LrpRule.Gamma(gamma, epsilon);
      case "zbox" -> new LrpRule.ZBox(space.low(), space.high(), epsilon);
      case "flat" -> new LrpRule.Flat();
      default -> throw new IllegalStateException("no rule " + name);
    };
  }

  private static String checked(String layer, String rule, List<String> allowed) {
    String r = rule.trim().toLowerCase(Locale.ROOT);
    if (allowed.contains(r)) {
      return r;
    }
    String why =
        INPUT_RULES.contains(r)
            ? ": " + r + " applies to the first layer only (it explains the input)"
            : "";
    throw new IllegalArgumentException(
        layer
            + "="
            + rule
            + " is not allowed"
            + why
            + "; "
            + (layer.equals("first") ? "the first layer takes " : layer + " layers take ")
            + String.join(", ", allowed));
  }
}
