package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.util.ParameterException;
import picocli.CommandLine.Option;

/** The network options shared by train, compare and bench. */
final class ModelOptions {
  @Option(
      names = "--layers",
      paramLabel = "LAYERS",
      defaultValue = Architecture.DEFAULT_LAYERS,
      description =
          "Hidden layers, comma-separated: UNITS (Dense), conv:FILTERSxSIZE[sSTRIDE], pool:SIZE, bn, flatten, "
              + "lstm:UNITS[:seq], gru:UNITS[:seq]; "
              + "e.g. conv:32x3,pool:2,conv:64x3,pool:2,dense:256 or lstm:128. Default: ${DEFAULT-VALUE}")
  String layers;

  @Option(
      names = "--sequence",
      paramLabel = "T",
      description =
          "Recurrent layers read each example as T time steps of (features / T) values. Default: the data's "
              + "first dimension (an image's rows: 28 steps of 28 for Fashion-MNIST; npy [N, T, F]: T).")
  int sequence;

  @Option(
      names = "--feature-dropout",
      defaultValue = "none",
      converter = DropoutSpecConverter.class,
      description =
          "Dropout after every convolutional block (any method; sector-wise and the importance-guided ones act on channels). "
              + "Structured methods given as --dropout (spatial, dropblock, spatially-aware) go there by themselves. Default: ${DEFAULT-VALUE}")
  DropoutSpec featureDropout = new NoDropout();

  @Option(
      names = "--activation",
      defaultValue = LayerSpec.HIDDEN_ACTIVATION,
      description =
          "relu, tanh, selu, linear, sigmoid, elu, relu6, softplus or swish. Default: ${DEFAULT-VALUE}")
  String activation;

  @Option(
      names = "--init",
      defaultValue = LayerSpec.HIDDEN_INITIALIZER,
      description =
          "glorot-uniform, glorot-normal, he-uniform or he-normal. Default: ${DEFAULT-VALUE}")
  String initializer;

  /** The parsed --layers. */
  Architecture architecture() {
    return Architecture.parse(layers);
  }

  /**
   * Refuses a bad --layers, --activation, --init or --sequence before any work, naming the option.
   */
  void check() {
    architecture().checkSequence(sequence);
    activation();
    initializer();
  }

  private Activation activation() {
    try {
      return Activation.parse(activation);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--activation " + activation + ": " + e.getMessage());
    }
  }

  private Initializer initializer() {
    try {
      return Initializer.parse(initializer);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--init " + initializer + ": " + e.getMessage());
    }
  }

  /**
   * The model for {@code data}, checked: valid layers and dropout methods that fit where they go.
   */
  ModelSpec build(ClassificationData data, DropoutSpec dropout) {
    return build(architecture(), data, dropout);
  }

  /**
   * The model with {@code method} after every convolutional block only (the feature-map benchmark).
   */
  ModelSpec buildOnFeatureMaps(ClassificationData data, DropoutSpec method) {
    Architecture architecture = architecture();
    if (!architecture.convolutional()) {
      throw new IllegalArgumentException(
          "--layers "
              + architecture.text()
              + " has no convolutional layer to put "
              + method.text()
              + " after");
    }
    featureDropout = method;
    return build(architecture, data, new NoDropout());
  }

  /**
   * The model for {@code data}: convolutional layers see its examples as images (their shape, or
   * --image), Dense ones as flat.
   */
  ModelSpec build(Architecture architecture, ClassificationData data, DropoutSpec dropout) {
    Activation a = activation();
    Initializer i = initializer();
    FeatureShape input = architecture.input(data, sequence);
    try {
      return architecture.build(input, data.train().classCount(), a, i, dropout, featureDropout);
    } catch (ParameterException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "dropout "
              + dropout.text()
              + " on the layers "
              + architecture.text()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
