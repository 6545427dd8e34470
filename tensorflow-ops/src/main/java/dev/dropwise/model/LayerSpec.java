package dev.dropwise.model;

import dev.dropwise.dropout.DropoutSpec;

/** One layer of a sequential model. */
public sealed interface LayerSpec {

  /** A fully connected layer: {@code activation(x W + b)}. */
  record Dense(int units, Activation activation, Initializer initializer) implements LayerSpec {
    public Dense {
      if (units < 1) {
        throw new IllegalArgumentException("dense layer units=" + units + " is not allowed: must be >= 1");
      }
    }
  }

  /** A dropout method applied to the previous layer's output. */
  record Dropout(DropoutSpec method) implements LayerSpec {}
}
