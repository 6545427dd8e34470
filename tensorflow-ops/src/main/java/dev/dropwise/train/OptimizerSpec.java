package dev.dropwise.train;

import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.framework.optimizers.Optimizer;

/** An optimiser with its hyper-parameters; {@link #create} builds the tensorflow-framework one. */
public sealed interface OptimizerSpec {

  /** The tensorflow-framework optimiser with these settings, for {@code graph}. */
  Optimizer create(Graph graph);

  /** The optimiser and its settings, e.g. {@code momentum(lr=0.01, momentum=0.9)}, for reports. */
  String text();

  /** The name {@link #of} takes: sgd, momentum or adam. */
  String name();

  /** The learning rate, above 0. */
  float learningRate();

  /** The momentum; 0 for an optimiser without one. */
  default float momentum() {
    return 0;
  }

  /** Values the optimiser keeps per weight (momentum: 1, Adam: 2). */
  default int slotsPerWeight() {
    return this instanceof Adam ? 2 : this instanceof Momentum ? 1 : 0;
  }

  /** Plain stochastic gradient descent. */
  record Sgd(float learningRate) implements OptimizerSpec {
    @Override
    public String name() {
      return "sgd";
    }

    /** Refuses a learning rate that is not above 0 and finite. */
    public Sgd {
      checkLearningRate(learningRate);
    }

    @Override
    public Optimizer create(Graph graph) {
      return new GradientDescent(graph, learningRate);
    }

    @Override
    public String text() {
      return "sgd(lr=" + learningRate + ")";
    }
  }

  /** SGD with (heavy-ball) momentum. */
  record Momentum(float learningRate, float momentum) implements OptimizerSpec {
    @Override
    public String name() {
      return "momentum";
    }

    /** Refuses a learning rate that is not above 0 and finite, and a momentum outside [0, 1). */
    public Momentum {
      checkLearningRate(learningRate);
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException(
            "momentum=" + momentum + " is not allowed: it must be in [0, 1)");
      }
    }

    @Override
    public Optimizer create(Graph graph) {
      return new org.tensorflow.framework.optimizers.Momentum(graph, learningRate, momentum, false);
    }

    @Override
    public String text() {
      return "momentum(lr=" + learningRate + ", momentum=" + momentum + ")";
    }
  }

  /**
   * Adam with the usual betas (0.9, 0.999) and epsilon 1e-8 ({@link OrderedAdam}: the same, run in
   * a fixed order).
   */
  record Adam(float learningRate) implements OptimizerSpec {
    @Override
    public String name() {
      return "adam";
    }

    /** Refuses a learning rate that is not above 0 and finite. */
    public Adam {
      checkLearningRate(learningRate);
    }

    @Override
    public Optimizer create(Graph graph) {
      return new OrderedAdam(graph, learningRate);
    }

    @Override
    public String text() {
      return "adam(lr=" + learningRate + ")";
    }
  }

  /** The optimiser named {@code sgd}, {@code momentum} or {@code adam}. */
  static OptimizerSpec of(String name, float learningRate, float momentum) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "sgd" -> new Sgd(learningRate);
      case "momentum" -> new Momentum(learningRate, momentum);
      case "adam" -> new Adam(learningRate);
      default ->
          throw new IllegalArgumentException(
              "optimizer '" + name + "' is not allowed; use sgd, momentum or adam");
    };
  }

  private static void checkLearningRate(float lr) {
    if (!(lr > 0) || Float.isInfinite(lr)) {
      throw new IllegalArgumentException(
          "learning rate lr=" + lr + " is not allowed: it must be > 0");
    }
  }
}
