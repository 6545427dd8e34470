package dev.dropwise.cli;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.Activation;
import dev.dropwise.model.Initializer;
import dev.dropwise.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The network options shared by train, compare and bench. */
final class ModelOptions {
  @Option(names = "--layers", paramLabel = "UNITS", split = ",", defaultValue = "1024,1024",
      description = "Hidden Dense layer widths. Default: ${DEFAULT-VALUE}")
  List<Integer> hidden = new ArrayList<>();

  @Option(names = "--activation", defaultValue = "relu", description = "relu, tanh, selu or linear. Default: ${DEFAULT-VALUE}")
  String activation;

  @Option(names = "--init", defaultValue = "he-uniform",
      description = "glorot-uniform, glorot-normal, he-uniform or he-normal. Default: ${DEFAULT-VALUE}")
  String initializer;

  /** The MLP, checked: widths >= 1 and a dropout method that fits every hidden layer. */
  ModelSpec build(int inputs, int classes, DropoutSpec dropout) {
    for (int units : hidden) {
      if (units < 1) {
        throw new IllegalArgumentException("--layers " + hidden + ": width " + units + " is not allowed; widths must be >= 1");
      }
    }
    Activation a = Activation.parse(activation);
    Initializer i = Initializer.parse(initializer);
    try {
      return ModelSpec.mlp(inputs, hidden, a, i, dropout, classes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--dropout " + dropout.text() + " with --layers " + hidden + ": " + e.getMessage());
    }
  }
}
