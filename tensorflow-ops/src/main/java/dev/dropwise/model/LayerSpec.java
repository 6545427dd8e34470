package dev.dropwise.model;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import java.util.Locale;

/**
 * One layer of a sequential model. Every layer has a text form that {@link #parse} reads back:
 * {@code dropout(sector:n=8,p=0.5)}, {@code dense:256:relu:he-uniform}, {@code
 * conv:32x3s1:relu:he-uniform}, {@code pool:2}, {@code bn:0.99:0.001}, {@code flatten}; trailing
 * parts may be left out (defaults: relu, he-uniform, stride 1, momentum 0.99, epsilon 0.001).
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

  /** The text {@link #parse} reads back to an equal layer. */
  String text();

  /**
   * Reads one layer's text, {@link Dropout}'s {@code dropout(METHOD)} included; see the interface
   * comment.
   */
  static LayerSpec parse(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("dropout(") && trimmed.endsWith(")")) {
      return new Dropout(
          DropoutSpec.parse(trimmed.substring("dropout(".length(), trimmed.length() - 1)));
    }
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":");
    try {
      switch (parts.length == 0 ? "" : parts[0]) { // ":" splits into no part at all
        case "dense" -> {
          if (parts.length >= 2 && parts.length <= 4) {
            return new Dense(
                Integer.parseInt(parts[1]), activation(parts, 2), initializer(parts, 3));
          }
        }
        case "conv" -> {
          if (parts.length >= 2 && parts.length <= 4 && parts[1].matches("\\d+x\\d+(s\\d+)?")) {
            String[] dims = parts[1].split("[xs]", -1);
            return new Conv2D(
                Integer.parseInt(dims[0]),
                Integer.parseInt(dims[1]),
                dims.length > 2 ? Integer.parseInt(dims[2]) : 1,
                activation(parts, 2),
                initializer(parts, 3));
          }
        }
        case "pool" -> {
          if (parts.length == 2) {
            return new MaxPool(Integer.parseInt(parts[1]));
          }
        }
        case "bn" -> {
          if (parts.length == 1) {
            return BatchNorm.DEFAULT;
          } else if (parts.length == 3) {
            return new BatchNorm(Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
          }
        }
        case "flatten" -> {
          if (parts.length == 1) {
            return new Flatten();
          }
        }
        default -> {
          // refused below
        }
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is not a layer; allowed: dense:UNITS[:ACTIVATION[:INIT]], "
            + "conv:FILTERSxSIZE[sSTRIDE][:ACTIVATION[:INIT]], pool:SIZE, bn[:MOMENTUM:EPSILON], flatten");
  }

  private static Activation activation(String[] parts, int index) {
    return Activation.parse(parts.length > index ? parts[index] : HIDDEN_ACTIVATION);
  }

  private static Initializer initializer(String[] parts, int index) {
    return Initializer.parse(parts.length > index ? parts[index] : HIDDEN_INITIALIZER);
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
    public String text() {
      return "dense:" + units + ":" + activation.text() + ":" + initializer.text();
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
    public String text() {
      return "conv:"
          + filters
          + "x"
          + size
          + "s"
          + stride
          + ":"
          + activation.text()
          + ":"
          + initializer.text();
    }
  }

  /** Max pooling over {@code size x size} windows with stride {@code size}, padding VALID. */
  record MaxPool(int size) implements LayerSpec {
    /** Refuses a size below 1. */
    public MaxPool {
      positive("pool size", size);
    }

    @Override
    public String text() {
      return "pool:" + size;
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
    public String text() {
      return "bn:" + momentum + ":" + epsilon;
    }
  }

  /** Reshapes a feature map {@code [N, H, W, C]} to {@code [N, H*W*C]}. */
  record Flatten() implements LayerSpec {
    @Override
    public String text() {
      return "flatten";
    }
  }

  /** A dropout method applied to the previous layer's output. */
  record Dropout(DropoutSpec method) implements LayerSpec {
    @Override
    public String text() {
      return "dropout(" + method.text() + ")";
    }
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + "=" + value + " is not allowed: must be >= 1");
    }
  }
}
