package dev.dropwise.model;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.dropout.StructuredDropout;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.util.Nesting;
import dev.dropwise.util.ParameterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hidden layers of a model as the command line writes them, comma-separated:
 *
 * <pre>
 *   1024 or dense:1024     a Dense layer of 1024 units
 *   conv:32x3              a Conv2D layer, 32 filters of 3x3 (conv:32x3s2: stride 2), padding SAME
 *   pool:2                 2x2 max pooling
 *   bn                     BatchNorm of the layer before (before its activation)
 *   flatten                (optional: a Dense layer after a feature map flattens it)
 * </pre>
 *
 * e.g. {@code conv:32x3,pool:2,conv:64x3,pool:2,dense:256}. {@link #build} adds the output layer
 * and the dropout layers.
 */
public record Architecture(List<LayerSpec> hidden, String text) {

  /** The hidden layers unless told otherwise: two Dense layers of 1024, as the seeds' MLPs. */
  public static final String DEFAULT_LAYERS = "1024,1024";

  /** Copies {@code hidden}. */
  public Architecture {
    hidden = List.copyOf(hidden);
  }

  /** Reads the comma-separated layers; every mistake names the token and what is allowed. */
  public static Architecture parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ParameterException(
          "layers", null, "empty; give e.g. 1024,1024 or conv:32x3,pool:2,dense:256");
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (String raw : Nesting.split(text, ',', "layers")) {
      String token = raw.trim().toLowerCase(Locale.ROOT);
      layers.add(token(text, token));
    }
    return new Architecture(layers, text.trim());
  }

  private static LayerSpec token(String text, String token) {
    try {
      // A bare number is a Dense width; activation and initializer are set by build.
      if (token.matches("\\d+")) {
        if (token.length() > 10 || Long.parseLong(token) > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(
              "a layer of "
                  + token
                  + " units is too large: TensorFlow sizes a dimension "
                  + "with a 32-bit integer, so a layer has at most "
                  + Integer.MAX_VALUE
                  + " units");
        }
        return LayerSpec.parse("dense:" + token);
      }
      return LayerSpec.parse(token);
    } catch (IllegalArgumentException e) {
      throw new ParameterException("layers", text, e.getMessage());
    }
  }

  /** Whether any layer is convolutional (the model then needs an image input). */
  public boolean convolutional() {
    return hidden.stream().anyMatch(l -> l instanceof LayerSpec.Conv2D);
  }

  /** Whether any layer is recurrent (the model then needs a sequence input). */
  public boolean recurrent() {
    return hidden.stream().anyMatch(l -> l instanceof LayerSpec.Recurrent);
  }

  /**
   * The model: these layers with {@code activation} and {@code initializer}, then a linear output
   * layer of {@code classes} units, with dropout placed by {@link #placeDropout}.
   */
  public ModelSpec build(
      FeatureShape input,
      int classes,
      Activation activation,
      Initializer initializer,
      DropoutSpec dropout,
      DropoutSpec featureDropout) {
    List<LayerSpec> layers = new ArrayList<>();
    for (LayerSpec layer : hidden) {
      if (layer instanceof LayerSpec.Dense d) {
        layers.add(new LayerSpec.Dense(d.units(), activation, initializer));
      } else if (layer instanceof LayerSpec.Conv2D c) {
        layers.add(
            new LayerSpec.Conv2D(c.filters(), c.size(), c.stride(), activation, initializer));
      } else {
        layers.add(layer);
      }
    }
    layers.add(
        new LayerSpec.Dense(classes, LayerSpec.OUTPUT_ACTIVATION, LayerSpec.OUTPUT_INITIALIZER));
    return new ModelSpec(input, placeDropout(layers, text, dropout, featureDropout));
  }

  /**
   * {@code network} (layers without dropout, the last one the output layer; {@code text} names them
   * in messages) with dropout where it applies: {@code dropout} after every hidden Dense layer
   * (after its BatchNorm, if it has one) — or, for a structured method (SpatialDropout, DropBlock,
   * spatially aware: {@link StructuredDropout}), after every convolutional block instead — and
   * {@code featureDropout} after every convolutional block. A recurrent layer that returns its last
   * output counts as a Dense layer here; between recurrent layers there is no dropout layer (their
   * own settings drop inside them). A block is a Conv2D with what follows it (BatchNorm, pooling)
   * up to the next Conv2D, Dense or Flatten layer.
   */
  public static List<LayerSpec> placeDropout(
      List<LayerSpec> network, String text, DropoutSpec dropout, DropoutSpec featureDropout) {
    boolean structured = dropout instanceof StructuredDropout;
    DropoutSpec afterDense = structured ? new NoDropout() : dropout;
    DropoutSpec afterBlock = structured ? dropout : featureDropout;
    if (structured && !(featureDropout instanceof NoDropout)) {
      throw new ParameterException(
          "dropout",
          dropout.text(),
          "it acts on the feature maps itself, so no feature "
              + "dropout may be given as well (here "
              + featureDropout.text()
              + ")");
    }
    if (structured && network.stream().noneMatch(LayerSpec.Conv2D.class::isInstance)) {
      throw new ParameterException(
          "dropout",
          dropout.text(),
          "it drops parts of feature maps, so it needs "
              + "convolutional layers, and the layers "
              + text
              + " have none");
    }
    if (network.stream().noneMatch(LayerSpec.Conv2D.class::isInstance)
        && !(featureDropout instanceof NoDropout)) {
      throw new ParameterException(
          "featureDropout",
          featureDropout.text(),
          "it needs convolutional layers, and the layers " + text + " have none");
    }
    List<LayerSpec> layers = new ArrayList<>();
    boolean inBlock = false;
    for (int i = 0; i < network.size() - 1; i++) {
      LayerSpec layer = network.get(i);
      LayerSpec next = network.get(i + 1);
      boolean closesBlock =
          layer instanceof LayerSpec.Conv2D
              || layer instanceof LayerSpec.Dense
              || layer instanceof LayerSpec.Flatten;
      if (inBlock && closesBlock) {
        addDropout(layers, afterBlock);
        inBlock = false;
      }
      layers.add(layer);
      boolean endsDense =
          (layer instanceof LayerSpec.Dense && !(next instanceof LayerSpec.BatchNorm))
              || (layer instanceof LayerSpec.Recurrent r && !r.sequences())
              || (layer instanceof LayerSpec.BatchNorm
                  && i > 0
                  && network.get(i - 1) instanceof LayerSpec.Dense);
      if (endsDense) {
        addDropout(layers, afterDense);
      } else if (layer instanceof LayerSpec.Conv2D) {
        inBlock = true;
      }
    }
    if (inBlock) {
      addDropout(layers, afterBlock);
    }
    layers.add(network.get(network.size() - 1));
    return layers;
  }

  private static void addDropout(List<LayerSpec> layers, DropoutSpec method) {
    if (!(method instanceof NoDropout)) {
      layers.add(new LayerSpec.Dropout(method));
    }
  }

  /**
   * The input of a model with these layers over {@code data}'s examples: convolutional layers see
   * them as images of the data's shape (a square single-channel image for flat data), Dense layers
   * as a flat vector, recurrent layers as a sequence ({@link #sequenceInput}).
   */
  public FeatureShape input(ClassificationData data) {
    return input(data, 0);
  }

  /**
   * As {@link #input(ClassificationData)}, a recurrent model reading each example as {@code
   * sequenceSteps} time steps (0: as the data's shape gives them).
   */
  public FeatureShape input(ClassificationData data, int sequenceSteps) {
    List<Integer> shape = data.shape();
    if (recurrent() || sequenceSteps != 0) {
      return sequenceInput(data.train().featureCount(), shape, sequenceSteps);
    }
    return input(
        data.train().featureCount(),
        data.images() && convolutional()
            ? FeatureShape.map(shape.get(0), shape.get(1), shape.get(2))
            : null);
  }

  /**
   * Refuses time steps {@code steps} (0: not given) for layers without a recurrent one, and below
   * 0.
   */
  public void checkSequence(int steps) {
    if (steps != 0 && !recurrent()) {
      throw new ParameterException(
          "sequence",
          steps,
          "it reads examples as time steps for recurrent layers, and the layers "
              + text
              + " have none (add e.g. lstm:128)");
    }
    if (steps < 0) {
      throw new ParameterException("sequence", steps, "must be >= 1 time step");
    }
  }

  /**
   * A recurrent model's input over examples of {@code features} values in {@code shape}: {@code
   * steps} time steps of {@code features / steps} values when given (each a row's consecutive
   * values), else the shape's first dimension as the time steps and the rest as each step's
   * features ({@code [T, F]}; an image {@code [H, W, C]} read row by row, as in sequential MNIST).
   */
  public FeatureShape sequenceInput(int features, List<Integer> shape, int steps) {
    checkSequence(steps);
    if (steps > 0) {
      if (features % steps != 0) {
        throw new ParameterException(
            "sequence",
            steps,
            "it does not divide the "
                + features
                + " values of an example into equal time steps; give a divisor of "
                + features);
      }
      return FeatureShape.sequence(steps, features / steps);
    }
    if (shape.size() < 2) {
      throw new ParameterException(
          "layers",
          text,
          "their recurrent layers need sequences, and the data's examples are flat vectors of "
              + features
              + " values; give --sequence T to read each as T time steps, or data of shape "
              + "[N, T, F]");
    }
    return FeatureShape.sequence(shape.get(0), features / shape.get(0));
  }

  /**
   * The input of a model with these layers over {@code features} values per example: {@code image}
   * if given, else flat for an MLP, else a square single-channel image (784 = 28x28x1).
   */
  public FeatureShape input(int features, FeatureShape image) {
    if (image != null) {
      if (image.size() != features) {
        throw new ParameterException(
            "image",
            image,
            "it holds "
                + image.size()
                + " values but the data has "
                + features
                + " features per example");
      }
      return image;
    }
    if (!convolutional()) {
      return FeatureShape.flat(features);
    }
    int side = (int) Math.round(Math.sqrt(features));
    if (side * side != features) {
      throw new ParameterException(
          "layers",
          text,
          "they are convolutional but the data's "
              + features
              + " features are not a square image; give the image shape HEIGHTxWIDTHxCHANNELS");
    }
    return FeatureShape.map(side, side, 1);
  }
}
