package dev.dropwise.data;

import dev.dropwise.util.ParameterException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Classes kept out of training, whose test examples then stand for inputs the model has never seen:
 * out-of-distribution detection without another data set. The model keeps an output per class of
 * the data; it is never trained towards these.
 *
 * @param indices the classes, by index, in the order given
 * @param names their names, in the same order
 */
public record HeldOutClasses(List<Integer> indices, List<String> names) {
  /** Copies the lists. */
  public HeldOutClasses {
    indices = List.copyOf(indices);
    names = List.copyOf(names);
  }

  /**
   * The classes {@code labels} name, by name or by index (as {@link KnownClasses#indexOf} reads
   * them) among {@code known}; refused with {@code parameter} when one is not a class, is given
   * twice, or when every class would be held out.
   */
  public static HeldOutClasses of(List<String> labels, KnownClasses known, String parameter) {
    String text = String.join(",", labels);
    List<Integer> indices = new ArrayList<>();
    for (String label : labels) {
      int k = known.indexOf(label.trim());
      if (k < 0) {
        throw new ParameterException(parameter, text, "'" + label + "' " + known.refusal());
      }
      if (indices.contains(k)) {
        throw new ParameterException(parameter, text, "'" + label + "' is given twice");
      }
      indices.add(k);
    }
    if (indices.size() == known.names().size()) {
      throw new ParameterException(
          parameter, text, "holds out every class; at least one must be left to learn");
    }
    return new HeldOutClasses(indices, indices.stream().map(known.names()::get).toList());
  }

  /** Whether {@code label} is held out. */
  public boolean contains(int label) {
    return indices.contains(label);
  }

  /** The examples of {@code data} of the other classes, in order. */
  public Dataset without(Dataset data) {
    return data.select(matching(data, false));
  }

  /** The examples of {@code data} of these classes, in order. */
  public Dataset only(Dataset data) {
    return data.select(matching(data, true));
  }

  private int[] matching(Dataset data, boolean held) {
    return IntStream.range(0, data.size())
        .filter(i -> contains(data.labels()[i]) == held)
        .toArray();
  }

  /** "8 (Bag), 9 (Ankle boot)", or the names alone where they are the indices. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < indices.size(); k++) {
      String index = String.valueOf(indices.get(k));
      parts.add(index.equals(names.get(k)) ? index : index + " (" + names.get(k) + ")");
    }
    return "classes " + String.join(", ", parts);
  }
}
