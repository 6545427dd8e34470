package dev.dropwise.importance;

import dev.dropwise.network.Network;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * An explanation of a model's input: the relevance of every input feature (pixel) for one class per
 * example, as graph ops. Registered in {@link InputAttributions} like the importance measures of
 * hidden units ({@code lrp}, {@code gradient}, {@code gradient-x-input}, {@code
 * integrated-gradients}, {@code smoothgrad}); one of your own implements {@link #relevance}, {@link
 * #name} and {@link #settings} and registers an entry there.
 */
public interface InputAttribution {
  /**
   * Relevance {@code [examples, features]} of the flat batch {@code x} (the network's input space)
   * for the class {@code classes} gives each example; {@code space} holds the input's bounds and
   * baseline.
   */
  Operand<TFloat32> relevance(
      Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> classes, InputSpace space);

  /** The attribution's name, e.g. {@code lrp}. */
  String name();

  /** Its settings by the names of its parameters: what its text is written from. */
  Map<String, Object> settings();

  /** {@code name[:settings]}, the settings that differ from their defaults. */
  default String text() {
    return InputAttributions.text(this);
  }

  /** LRP with a composite: each layer's rule by its kind, the first layer's its own. */
  record Lrp(String composite, LrpComposite rules) implements InputAttribution {
    @Override
    public Operand<TFloat32> relevance(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> classes, InputSpace space) {
      return InputRelevance.create(tf).lrp(network, x, classes, rules, space);
    }

    @Override
    public String name() {
      return "lrp";
    }

    @Override
    public Map<String, Object> settings() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("composite", composite);
      out.put("dense", rules.dense());
      out.put("conv", rules.conv());
      out.put("first", rules.first());
      out.put("epsilon", rules.epsilon());
      out.put("gamma", rules.gamma());
      return out;
    }
  }

  /** The gradient of the class's logit by each input, or that times the input. */
  record Gradient(boolean timesInput) implements InputAttribution {
    @Override
    public Operand<TFloat32> relevance(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> classes, InputSpace space) {
      Operand<TFloat32> g = InputRelevance.create(tf).gradient(network, x, classes);
      return timesInput ? tf.math.mul(g, x) : g;
    }

    @Override
    public String name() {
      return timesInput ? "gradient-x-input" : "gradient";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of();
    }
  }

  /** Integrated gradients from the baseline of the input space. */
  record IntegratedGradients(int steps) implements InputAttribution {
    /** Refuses fewer than 1 step. */
    public IntegratedGradients {
      InputRelevance.checkSteps(steps);
    }

    @Override
    public Operand<TFloat32> relevance(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> classes, InputSpace space) {
      return InputRelevance.create(tf)
          .integratedGradients(network, x, classes, steps, space.baseline());
    }

    @Override
    public String name() {
      return "integrated-gradients";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("steps", steps);
    }
  }

  /** SmoothGrad: the gradient averaged over noisy copies of each example. */
  record SmoothGrad(int samples, float noise, long seed) implements InputAttribution {
    /** Refuses fewer than 1 sample and a negative noise level. */
    public SmoothGrad {
      InputRelevance.checkSmoothGrad(samples, noise);
    }

    @Override
    public Operand<TFloat32> relevance(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> classes, InputSpace space) {
      return InputRelevance.create(tf).smoothGrad(network, x, classes, samples, noise, seed, space);
    }

    @Override
    public String name() {
      return "smoothgrad";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("samples", samples, "noise", noise, "seed", seed);
    }
  }

  /** A Grad-CAM map of a layer's feature maps, resized to the input. */
  record GradCam(String layer) implements InputAttribution {
    @Override
    public Operand<TFloat32> relevance(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> classes, InputSpace space) {
      return InputRelevance.create(tf).gradCam(network, x, classes, layer);
    }

    @Override
    public String name() {
      return "grad-cam";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("layer", layer);
    }
  }
}
