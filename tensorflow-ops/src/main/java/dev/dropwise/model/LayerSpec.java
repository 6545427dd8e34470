package dev.dropwise.model;

import dev.dropwise.dropout.DropoutSpec;

/** One layer of a sequential model. */
public sealed interface LayerSpec {

  /** A fully connected layer: {@code activation(x W + b)}; a feature-map input is flattened first. */
  record Dense(int units, Activation activation, Initializer initializer) implements LayerSpec {
    public Dense {
      positive("dense layer units", units);
    }
  }

  /**
   * A 2-D convolution over NHWC feature maps: {@code activation(conv(x, W) + b)}, a {@code size x
   * size} kernel, {@code filters} output channels, the given stride, padding SAME.
   */
  record Conv2D(int filters, int size, int stride, Activation activation, Initializer initializer) implements LayerSpec {
    public Conv2D {
      positive("conv filters", filters);
      positive("conv kernel size", size);
      positive("conv stride", stride);
    }
  }

  /** Max pooling over {@code size x size} windows with stride {@code size}, padding VALID. */
  record MaxPool(int size) implements LayerSpec {
    public MaxPool {
      positive("pool size", size);
    }
  }

  /**
   * Batch normalisation of the previous Dense or Conv2D layer's pre-activation (Ioffe and Szegedy:
   * linear, normalise, then the layer's activation). Training normalises with the batch's moments and
   * moves the moving averages, {@code m <- momentum m + (1 - momentum) batch}; inference uses the
   * moving averages.
   */
  record BatchNorm(double momentum, double epsilon) implements LayerSpec {
    public static final BatchNorm DEFAULT = new BatchNorm(0.99, 1e-3);

    public BatchNorm {
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("batch norm momentum=" + momentum + " is not allowed: must be in [0, 1)");
      }
      if (!(epsilon > 0)) {
        throw new IllegalArgumentException("batch norm epsilon=" + epsilon + " is not allowed: must be > 0");
      }
    }
  }

  /** Reshapes a feature map {@code [N, H, W, C]} to {@code [N, H*W*C]}. */
  record Flatten() implements LayerSpec {}

  /** A dropout method applied to the previous layer's output. */
  record Dropout(DropoutSpec method) implements LayerSpec {}

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + "=" + value + " is not allowed: must be >= 1");
    }
  }
}
