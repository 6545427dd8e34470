package dev.dropwise.model;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.network.RecurrentCell;
import java.util.Map;

/**
 * One layer of a sequential model. Every layer has a text form that {@link #parse} reads back, in
 * the grammar of every spec: {@code dense(units=256)}, {@code conv(filters=32,size=3,stride=2)},
 * {@code lstm(units=128)}, {@code gru(units=64,return=seq)}, {@code pool(size=2)}, {@code bn},
 * {@code flatten}, {@code dropout(sector:n=8,p=0.5)}; settings at their defaults are left out
 * (relu, he-uniform, stride 1, momentum 0.99, epsilon 0.001). The earlier forms ({@code
 * dense:256:relu:he-uniform}, {@code conv:32x3s1}, {@code pool:2}) still read; see {@link Layers}.
 */
public sealed interface LayerSpec {
  /**
   * A hidden layer's activation unless told otherwise: the command line's --activation, the DSL's
   * dense().
   */
  String HIDDEN_ACTIVATION = "relu";

  /**
   * A hidden layer's initialiser unless told otherwise: the command line's --init, the DSL's
   * dense().
   */
  String HIDDEN_INITIALIZER = "he-uniform";

  /** The output layer's activation: linear, so that its outputs are the logits. */
  Activation OUTPUT_ACTIVATION = Activation.LINEAR;

  /** The output layer's initialiser: Glorot-uniform. */
  Initializer OUTPUT_INITIALIZER = Initializer.GLOROT_UNIFORM;

  /** The text {@link #parse} reads back to an equal layer: {@code dense(units=256)}. */
  default String text() {
    return Layers.text(this);
  }

  /** The name its text starts with: {@code dense}, {@code conv}, ... */
  String name();

  /** Its settings by parameter name, from which the text is written. */
  Map<String, Object> settings();

  /** Reads one layer's text, in the grammar of every spec or an abbreviation ({@link Layers}). */
  static LayerSpec parse(String text) {
    return Layers.parse(text);
  }

  /**
   * A fully connected layer: {@code activation(x W + b)}; a feature-map input is flattened first.
   */
  record Dense(int units, Activation activation, Initializer initializer) implements LayerSpec {
    /** Refuses fewer than 1 unit. */
    public Dense {
      positive("dense layer units", units);
    }

    @Override
    public String name() {
      return "dense";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("units", units, "activation", activation.text(), "init", initializer.text());
    }
  }

  /**
   * A 2-D convolution over NHWC feature maps: {@code activation(conv(x, W) + b)}, a {@code size x
   * size} kernel, {@code filters} output channels, the given stride, padding SAME.
   */
  record Conv2D(int filters, int size, int stride, Activation activation, Initializer initializer)
      implements LayerSpec {
    /** Refuses filters, a kernel size or a stride below 1. */
    public Conv2D {
      positive("conv filters", filters);
      positive("conv kernel size", size);
      positive("conv stride", stride);
    }

    @Override
    public String name() {
      return "conv";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of(
          "filters",
          filters,
          "size",
          size,
          "stride",
          stride,
          "activation",
          activation.text(),
          "init",
          initializer.text());
    }
  }

  /**
   * A recurrent layer over a sequence {@code [T, F]} ({@link RecurrentCell}: Keras's LSTM or GRU,
   * tanh and sigmoid gates): the last step's output {@code [U]}, or with {@code sequences} every
   * step's {@code [T, U]} so that another recurrent layer can follow. The input kernel starts from
   * {@code initializer}, the recurrent kernel orthogonal, the bias at zero (an LSTM's forget gate
   * at 1); {@code dropout} drops inside the layer ({@link RecurrentDropout}).
   */
  record Recurrent(
      RecurrentCell cell,
      int units,
      boolean sequences,
      Initializer initializer,
      RecurrentDropout dropout)
      implements LayerSpec {
    /** The input kernel's initialiser unless told otherwise: Glorot-uniform, as Keras's. */
    public static final Initializer DEFAULT_INITIALIZER = Initializer.GLOROT_UNIFORM;

    /** How {@code return} writes a layer that returns every step's output. */
    public static final String SEQUENCES = "seq";

    /** How {@code return} writes a layer that returns the last step's output. */
    public static final String LAST = "last";

    /** Refuses fewer than 1 unit. */
    public Recurrent {
      positive(cell.text() + " layer units", units);
    }

    /** A layer without dropout inside it. */
    public Recurrent(RecurrentCell cell, int units, boolean sequences, Initializer initializer) {
      this(cell, units, sequences, initializer, RecurrentDropout.NONE);
    }

    @Override
    public String name() {
      return cell.text();
    }

    @Override
    public Map<String, Object> settings() {
      Map<String, Object> settings = new java.util.LinkedHashMap<>(dropout.settings());
      settings.put("units", units);
      settings.put("return", sequences ? SEQUENCES : LAST);
      settings.put("init", initializer.text());
      return settings;
    }
  }

  /** Max pooling over {@code size x size} windows with stride {@code size}, padding VALID. */
  record MaxPool(int size) implements LayerSpec {
    /** Refuses a size below 1. */
    public MaxPool {
      positive("pool size", size);
    }

    @Override
    public String name() {
      return "pool";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("size", size);
    }
  }

  /**
   * Batch normalisation of the previous Dense or Conv2D layer's pre-activation (Ioffe and Szegedy:
   * linear, normalise, then the layer's activation). Training normalises with the batch's moments
   * and moves the moving averages, {@code m <- momentum m + (1 - momentum) batch}; inference uses
   * the moving averages.
   */
  record BatchNorm(double momentum, double epsilon) implements LayerSpec {
    /**
     * Momentum 0.99 and epsilon 0.001, as Keras's BatchNormalization: {@code bn}'s and the DSL's
     * {@code batchNorm()}.
     */
    public static final BatchNorm DEFAULT = new BatchNorm(0.99, 1e-3);

    /** Refuses a momentum outside [0, 1) and an epsilon that is not above 0. */
    public BatchNorm {
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException(
            "batch norm momentum=" + momentum + " is not allowed: must be in [0, 1)");
      }
      if (!(epsilon > 0)) {
        throw new IllegalArgumentException(
            "batch norm epsilon=" + epsilon + " is not allowed: must be > 0");
      }
    }

    @Override
    public String name() {
      return "bn";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("momentum", momentum, "epsilon", epsilon);
    }
  }

  /** Reshapes a feature map {@code [N, H, W, C]} to {@code [N, H*W*C]}. */
  record Flatten() implements LayerSpec {
    @Override
    public String name() {
      return "flatten";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of();
    }
  }

  /** A dropout method applied to the previous layer's output. */
  record Dropout(DropoutSpec method) implements LayerSpec {
    @Override
    public String text() {
      return "dropout(" + method.text() + ")";
    }

    @Override
    public String name() {
      return "dropout";
    }

    /** The method's own text is the whole of it. */
    @Override
    public Map<String, Object> settings() {
      return Map.of("method", method.text());
    }
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + "=" + value + " is not allowed: must be >= 1");
    }
  }
}
