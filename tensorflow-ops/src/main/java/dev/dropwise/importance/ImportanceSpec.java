package dev.dropwise.importance;

import dev.dropwise.network.Network;
import dev.dropwise.util.KeyValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * An importance measure with its settings, as text: {@code lrp-eps[:epsilon=1e-6]},
 * {@code lrp-zplus}, {@code lrp-alpha1beta0}, {@code lrp-alpha2beta1}, {@code lrp-gamma[:gamma=0.25]},
 * {@code gradient}, {@code gradient-x-activation}, {@code conductance[:steps=5]},
 * {@code activation}; every gradient or LRP measure also takes {@code target=predicted|label}.
 */
public sealed interface ImportanceSpec {

  /** Per-example scores, one {@code [examples, units]} tensor per hidden layer. */
  List<Operand<TFloat32>> scores(Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels);

  /** {@code name[:settings]}, e.g. {@code lrp-eps}, {@code conductance:steps=5}; {@link #parse} reads it back. */
  default String text() {
    return settings().isEmpty() ? name() : name() + ":" + settings();
  }

  /** The measure's name, e.g. {@code lrp-zplus} or {@code gradient}. */
  String name();

  /** Its settings that differ from the defaults, {@code key=value,...}, or empty. */
  String settings();

  record Lrp(LrpRule rule, Target target) implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      ImportanceOps ops = ImportanceOps.create(tf);
      Network.Forward forward = network.forward(tf, x);
      return ops.lrp(network, forward, rule, ops.targetClass(forward, target, labels));
    }

    @Override
    public String name() {
      return "lrp-" + rule.text();
    }

    @Override
    public String settings() {
      List<String> out = new ArrayList<>();
      if (rule instanceof LrpRule.Gamma g && g.gamma() != DEFAULT_GAMMA) {
        out.add("gamma=" + g.gamma());
      }
      float epsilon = rule instanceof LrpRule.Epsilon e ? e.epsilon() : rule instanceof LrpRule.Gamma g ? g.epsilon() : DEFAULT_EPSILON;
      if (epsilon != DEFAULT_EPSILON) {
        out.add("epsilon=" + epsilon);
      }
      return joined(out, target);
    }
  }

  record Gradient(boolean timesActivation, Target target) implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      ImportanceOps ops = ImportanceOps.create(tf);
      Network.Forward forward = network.forward(tf, x);
      Operand<TInt32> classes = ops.targetClass(forward, target, labels);
      return timesActivation ? ops.gradientTimesActivation(forward, classes) : ops.gradientMagnitude(forward, classes);
    }

    @Override
    public String name() {
      return timesActivation ? "gradient-x-activation" : "gradient";
    }

    @Override
    public String settings() {
      return joined(List.of(), target);
    }
  }

  record Conductance(int steps, Target target) implements ImportanceSpec {
    public Conductance {
      if (steps < 1) {
        throw new IllegalArgumentException("conductance steps=" + steps + " is not allowed: must be >= 1");
      }
    }

    @Override
    public List<Operand<TFloat32>> scores(Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      return ImportanceOps.create(tf).conductance(network, x, steps, target, labels);
    }

    @Override
    public String name() {
      return "conductance";
    }

    @Override
    public String settings() {
      return joined(List.of("steps=" + steps), target);
    }
  }

  /** {@code |inner|} per example: what a policy that ranks by magnitude averages over a batch. */
  record Magnitude(ImportanceSpec inner) implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      return inner.scores(tf, network, x, labels).stream().map(tf.math::abs).map(o -> (Operand<TFloat32>) o).toList();
    }

    @Override
    public String text() {
      return "abs(" + inner.text() + ")";
    }

    @Override
    public String name() {
      return "abs(" + inner.name() + ")";
    }

    @Override
    public String settings() {
      return inner.settings();
    }
  }

  record ActivationMagnitude() implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      return ImportanceOps.create(tf).activationMagnitude(network.forward(tf, x));
    }

    @Override
    public String name() {
      return "activation";
    }

    @Override
    public String settings() {
      return "";
    }
  }

  float DEFAULT_EPSILON = 1e-6f;
  float DEFAULT_GAMMA = 0.25f;

  private static String joined(List<String> settings, Target target) {
    List<String> all = new ArrayList<>(settings);
    if (target == Target.LABEL) {
      all.add("target=label");
    }
    return String.join(",", all);
  }

  /** The measure named by {@code name} with the settings in {@code args} (keys removed as used). */
  public static ImportanceSpec of(String name, Map<String, String> args) {
    Target target = Target.parse(take(args, "target", "predicted"));
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "lrp", "lrp-eps", "lrp-epsilon", "eps" -> new Lrp(new LrpRule.Epsilon(number(args, "epsilon", String.valueOf(DEFAULT_EPSILON))), target);
      case "lrp-zplus", "zplus" -> new Lrp(new LrpRule.ZPlus(), target);
      case "lrp-alpha1beta0", "alpha1beta0" -> new Lrp(new LrpRule.AlphaBeta(1, 0), target);
      case "lrp-alpha2beta1", "alpha2beta1" -> new Lrp(new LrpRule.AlphaBeta(2, 1), target);
      case "lrp-gamma", "gamma" -> new Lrp(new LrpRule.Gamma(number(args, "gamma", String.valueOf(DEFAULT_GAMMA)), number(args, "epsilon", String.valueOf(DEFAULT_EPSILON))), target);
      case "gradient" -> new Gradient(false, target);
      case "gradient-x-activation", "gradientxactivation", "gxa" -> new Gradient(true, target);
      case "conductance" -> new Conductance((int) number(args, "steps", "5"), target);
      case "activation" -> new ActivationMagnitude();
      default -> throw new IllegalArgumentException("unknown importance '" + name + "'; allowed: lrp-eps, lrp-zplus, "
          + "lrp-alpha1beta0, lrp-alpha2beta1, lrp-gamma, gradient, gradient-x-activation, conductance, activation");
    };
  }

  /** Parses {@code name[:key=value,...]}. */
  public static ImportanceSpec parse(String text) {
    int colon = text.indexOf(':');
    Map<String, String> args = colon < 0 ? new LinkedHashMap<>()
        : KeyValues.parse(text.substring(colon + 1), "importance '" + text + "'");
    ImportanceSpec spec = of(colon < 0 ? text.trim() : text.substring(0, colon).trim(), args);
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("unknown parameter(s) " + args.keySet() + " in importance '" + text + "'");
    }
    return spec;
  }

  private static String take(Map<String, String> args, String key, String fallback) {
    String v = args.remove(key);
    return v == null ? fallback : v;
  }

  private static float number(Map<String, String> args, String key, String fallback) {
    String v = take(args, key, fallback);
    try {
      return Float.parseFloat(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "=" + v + " is not a number");
    }
  }
}
