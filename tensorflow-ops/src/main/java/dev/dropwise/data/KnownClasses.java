package dev.dropwise.data;

import java.util.List;

/**
 * The classes a set's labels must be looked up in, by name, instead of defining classes of their
 * own: a training set's for its test set, or a model's for the data it evaluates. {@code whose}
 * says which, for messages ("the training data's", "the model's").
 */
public record KnownClasses(List<String> names, String whose) {
  /** Copies {@code names}. */
  public KnownClasses {
    names = List.copyOf(names);
  }

  /** The training data's classes, for its test set. */
  public static KnownClasses ofTrainingData(List<String> names) {
    return new KnownClasses(names, "the training data's");
  }

  /** The classes of a model, for the data it is evaluated on. */
  public static KnownClasses ofModel(List<String> names) {
    return new KnownClasses(names, "the model's");
  }

  /**
   * The index of the class {@code label} names: the class of that name; or, when no class has a
   * whole number for a name (Fashion-MNIST's "T-shirt/top", ...), a whole number k from 0 to the
   * count - 1 is class k, as a table or folders numbered 0 to 9 write Fashion-MNIST's classes; else
   * -1.
   */
  public int indexOf(String label) {
    int byName = names.indexOf(label);
    if (byName >= 0 || names.stream().anyMatch(n -> n.matches("[-+]?\\d+"))) {
      return byName;
    }
    if (label.matches("\\d{1,9}")) {
      int k = Integer.parseInt(label);
      return k < names.size() ? k : -1;
    }
    return -1;
  }

  /** "is not one of the model's classes [a, b, c]". */
  String refusal() {
    return "is not one of " + whose + " classes " + names;
  }
}
