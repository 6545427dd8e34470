package dev.dropwise.importance;

import dev.dropwise.network.Network;
import dev.dropwise.util.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * An importance measure with its settings; a measure of your own implements {@link #scores} (TF ops
 * over the clean {@link Network}, one {@code [examples, units]} tensor per hidden layer), {@link
 * #name} and {@link #settings}, and registers an {@link ImportanceMeasure}. As text: {@code
 * lrp-eps[:epsilon=1e-6]}, {@code lrp-zplus}, {@code lrp-alpha1beta0}, {@code lrp-alpha2beta1},
 * {@code lrp-gamma[:gamma=0.25]}, {@code gradient}, {@code gradient-x-activation}, {@code
 * conductance[:steps=5][,path=factored]}, {@code activation}; every gradient or LRP measure also
 * takes {@code target=predicted|label}.
 */
public interface ImportanceSpec {

  /** Per-example scores, one {@code [examples, units]} tensor per hidden layer. */
  List<Operand<TFloat32>> scores(
      Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels);

  /**
   * {@code name[:settings]}, e.g. {@code lrp-eps}, {@code conductance:steps=16}, written from
   * {@link #name} and {@link #settings} like a dropout method's text; {@link #parse} reads it back.
   */
  default String text() {
    return ImportanceMeasures.text(this);
  }

  /** The measure's name, e.g. {@code lrp-zplus} or {@code gradient}. */
  String name();

  /**
   * Its settings by the names its measure's parameters have (a setting left out is at its default):
   * what its text is written from, and what a dropout method that ranks by it hands on.
   */
  Map<String, Object> settings();

  /** Layer-wise relevance propagation with {@code rule}, seeded at {@code target}'s logit. */
  record Lrp(LrpRule rule, Target target) implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      ImportanceOps ops = ImportanceOps.create(tf);
      Network.Forward forward = network.forward(tf, x);
      return ops.lrp(network, forward, rule, ops.targetClass(forward, target, labels));
    }

    @Override
    public String name() {
      return "lrp-" + rule.text();
    }

    @Override
    public Map<String, Object> settings() {
      Map<String, Object> out = new LinkedHashMap<>();
      if (rule instanceof LrpRule.Gamma g) {
        out.put("gamma", g.gamma());
        out.put("epsilon", g.epsilon());
      } else if (rule instanceof LrpRule.Epsilon e) {
        out.put("epsilon", e.epsilon());
      }
      out.put("target", target);
      return out;
    }
  }

  /** The gradient of {@code target}'s logit by each unit, or that times the activation. */
  record Gradient(boolean timesActivation, Target target) implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      ImportanceOps ops = ImportanceOps.create(tf);
      Network.Forward forward = network.forward(tf, x);
      Operand<TInt32> classes = ops.targetClass(forward, target, labels);
      return timesActivation
          ? ops.gradientTimesActivation(forward, classes)
          : ops.gradientMagnitude(forward, classes);
    }

    @Override
    public String name() {
      return timesActivation ? "gradient-x-activation" : "gradient";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("target", target);
    }
  }

  /**
   * Conductance over {@code steps} interpolation steps; {@code factored}: the first layer's
   * products shared along the path ({@link ImportanceOps#conductance}), faster and rounded
   * differently.
   */
  record Conductance(int steps, Target target, boolean factored) implements ImportanceSpec {
    /** Refuses fewer than 1 step. */
    public Conductance {
      if (steps < 1) {
        throw new IllegalArgumentException(
            "conductance steps=" + steps + " is not allowed: must be >= 1");
      }
    }

    /** Conductance on the exact path. */
    public Conductance(int steps, Target target) {
      this(steps, target, false);
    }

    /**
     * The record's form with {@code factored} only when set, so saved runs keep their keys (as
     * Y-Drop does).
     */
    @Override
    public String toString() {
      return "Conductance[steps="
          + steps
          + ", target="
          + target
          + (factored ? ", factored=true" : "")
          + "]";
    }

    @Override
    public List<Operand<TFloat32>> scores(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      return ImportanceOps.create(tf).conductance(network, x, steps, target, labels, factored);
    }

    @Override
    public String name() {
      return "conductance";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("steps", steps, "path", factored ? "factored" : "exact", "target", target);
    }
  }

  /** Internal Influence over {@code steps} points of the input's path ({@link ImportanceOps}). */
  record InternalInfluence(int steps, Target target) implements ImportanceSpec {
    /** Refuses fewer than 1 step. */
    public InternalInfluence {
      if (steps < 1) {
        throw new IllegalArgumentException(
            "internal-influence steps=" + steps + " is not allowed: must be >= 1");
      }
    }

    @Override
    public List<Operand<TFloat32>> scores(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      return ImportanceOps.create(tf).internalInfluence(network, x, steps, target, labels);
    }

    @Override
    public String name() {
      return "internal-influence";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("steps", steps, "target", target);
    }
  }

  /** Grad-CAM's channel weights on feature maps, the gradient on flat layers. */
  record GradCam(Target target) implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      ImportanceOps ops = ImportanceOps.create(tf);
      Network.Forward forward = network.forward(tf, x);
      return ops.gradCamWeights(forward, ops.targetClass(forward, target, labels));
    }

    @Override
    public String name() {
      return "grad-cam";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("target", target);
    }
  }

  /** {@code |inner|} per example: what a policy that ranks by magnitude averages over a batch. */
  record Magnitude(ImportanceSpec inner) implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      return inner.scores(tf, network, x, labels).stream()
          .map(tf.math::abs)
          .map(o -> (Operand<TFloat32>) o)
          .toList();
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
    public Map<String, Object> settings() {
      return inner.settings();
    }
  }

  /** The mean |activation| of each unit: importance without a backward pass. */
  record ActivationMagnitude() implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      return ImportanceOps.create(tf).activationMagnitude(network.forward(tf, x));
    }

    @Override
    public String name() {
      return "activation";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of();
    }
  }

  /** LRP-ε's stabiliser unless told otherwise. */
  float DEFAULT_EPSILON = 1e-6f;

  /** LRP-γ's weight on positive contributions unless told otherwise. */
  float DEFAULT_GAMMA = 0.25f;

  /**
   * The measure named {@code name} with the settings in {@code args}; see {@link
   * ImportanceMeasures}.
   */
  static ImportanceSpec of(String name, Map<String, String> args) {
    return ImportanceMeasures.create(
        name.trim(), Settings.of(args, "importance '" + name.trim() + "'"), name.trim());
  }

  /** Parses {@code name[:key=value,...]} with the registered measures. */
  static ImportanceSpec parse(String text) {
    return ImportanceMeasures.parse(text);
  }
}
