package dev.dropwise.model;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.network.FeatureShape;
import java.util.ArrayList;
import java.util.List;

/**
 * What each kind of layer makes of the shape it receives, and the Flatten layers a model gets where
 * a Dense layer follows a feature map or a sequence: {@link ModelSpec}'s checks, one place.
 */
final class LayerShapes {
  private LayerShapes() {}

  /**
   * The shape layer {@code index} outputs for its input {@code in}; refused, naming the layer,
   * where the layer does not fit it.
   */
  static FeatureShape output(int index, LayerSpec layer, FeatureShape in) {
    String where = "layer " + index + " (" + layer.text() + ")";
    if (layer instanceof LayerSpec.Dense d) {
      return FeatureShape.flat(d.units());
    } else if (layer instanceof LayerSpec.Recurrent r) {
      if (!in.sequence()) {
        throw new IllegalArgumentException(
            where
                + " needs a sequence of time steps [T, F] but receives "
                + (in.map() ? "a feature map " : "flat features ")
                + in
                + "; give the model a sequence input (e.g. 28x28: 28 steps of 28 features)");
      }
      checkInside(where, "input", r.dropout().input(), FeatureShape.flat(in.channels()));
      checkInside(where, "state", r.dropout().state(), FeatureShape.flat(r.units()));
      return r.sequences()
          ? FeatureShape.sequence(in.steps(), r.units())
          : FeatureShape.flat(r.units());
    } else if (layer instanceof LayerSpec.Conv2D c) {
      requireMap(where, in);
      return FeatureShape.map(
          ceilDiv(in.height(), c.stride()), ceilDiv(in.width(), c.stride()), c.filters());
    } else if (layer instanceof LayerSpec.MaxPool p) {
      requireMap(where, in);
      if (p.size() > in.height() || p.size() > in.width()) {
        throw new IllegalArgumentException(
            where
                + ": pool size "
                + p.size()
                + " is larger than its "
                + in.height()
                + "x"
                + in.width()
                + " input");
      }
      return FeatureShape.map(in.height() / p.size(), in.width() / p.size(), in.channels());
    } else if (layer instanceof LayerSpec.Flatten) {
      return FeatureShape.flat(in.size());
    } else if (layer instanceof LayerSpec.Dropout d) {
      if (in.sequence()) {
        throw new IllegalArgumentException(
            where
                + " on a sequence "
                + in
                + ": a dropout layer acts on one vector or feature map per example; dropout "
                + "inside a recurrent layer is the layer's own setting");
      }
      try {
        d.method().checkInput(in);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + " on a " + in + " input: " + e.getMessage(), e);
      }
    }
    return in; // BatchNorm and Dropout keep the shape
  }

  private static void requireMap(String where, FeatureShape in) {
    if (!in.map()) {
      throw new IllegalArgumentException(
          where
              + " needs a feature map HxWxC but receives "
              + (in.sequence()
                  ? "a sequence " + in + " (time steps x features)"
                  : in + " flat features")
              + "; give the model an image input (e.g. 28x28x1)");
    }
  }

  /** Refuses a method inside a recurrent layer that does not fit the units it drops. */
  private static void checkInside(
      String where, String part, DropoutSpec method, FeatureShape units) {
    try {
      method.checkInput(units);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where
              + ": "
              + part
              + "="
              + method.text()
              + " on its "
              + units.channels()
              + " "
              + (part.equals("input") ? "input features" : "units")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /**
   * {@code layers} with a Flatten before each Dense layer that would receive a feature map or a
   * sequence.
   */
  static List<LayerSpec> withFlattens(FeatureShape input, List<LayerSpec> layers) {
    List<LayerSpec> out = new ArrayList<>();
    boolean map = input.map() || input.sequence();
    for (LayerSpec layer : layers) {
      if (layer instanceof LayerSpec.Dense && map) {
        out.add(new LayerSpec.Flatten());
      }
      out.add(layer);
      if (layer instanceof LayerSpec.Dense || layer instanceof LayerSpec.Flatten) {
        map = false;
      } else if (layer instanceof LayerSpec.Conv2D) {
        map = true;
      } else if (layer instanceof LayerSpec.Recurrent r) {
        map = r.sequences();
      }
    }
    return List.copyOf(out);
  }
}
