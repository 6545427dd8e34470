package dev.dropwise.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Examples as a source gives them, before any split or scaling: raw feature values, labels as class
 * indices, the classes' names, the shape of one example, and whether the values are 8-bit (pixels,
 * which unit scaling divides by 255).
 */
public record LabelledExamples(
    Dataset examples,
    List<String> classNames,
    List<Integer> shape,
    boolean eightBit,
    String description) {

  /** Copies the lists. */
  public LabelledExamples {
    classNames = List.copyOf(classNames);
    shape = List.copyOf(shape);
  }

  /**
   * Turns labels as written (text) into class indices. Labels that are all integers become classes
   * in numeric order, named by their value; other labels become classes in order of first
   * appearance. Given the names of an earlier set (a training set's, for its test set), labels are
   * looked up by name instead and one the earlier set lacks is refused.
   */
  static final class LabelCoder {
    private final Path file;
    private final KnownClasses known;
    private final List<String> raw = new ArrayList<>();
    private final List<String> places = new ArrayList<>();

    LabelCoder(Path file, KnownClasses known) {
      this.file = file;
      this.known = known;
    }

    /** A label and where it was read ("line 7", "index 3"), for messages. */
    void add(String label, String place) {
      raw.add(label.trim());
      places.add(place);
    }

    int size() {
      return raw.size();
    }

    /** The names of the classes, in index order. */
    List<String> names() throws DataFormatException {
      if (known != null) {
        return known.names();
      }
      if (raw.stream().allMatch(LabelCoder::isInteger)) {
        TreeSet<Long> values = new TreeSet<>();
        raw.forEach(r -> values.add(Long.parseLong(r)));
        return values.stream().map(String::valueOf).toList();
      }
      return raw.stream().distinct().toList(); // in order of first appearance
    }

    /** Every label as its class index in {@link #names()}. */
    int[] indices() throws DataFormatException {
      List<String> names = names();
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        index.put(names.get(i), i);
      }
      boolean numeric = names.stream().allMatch(LabelCoder::isInteger);
      int[] out = new int[raw.size()];
      for (int i = 0; i < out.length; i++) {
        String label =
            numeric && isInteger(raw.get(i))
                ? String.valueOf(Long.parseLong(raw.get(i)))
                : raw.get(i);
        Integer k = index.get(label);
        if (k == null && known != null && known.indexOf(label) >= 0) {
          k = known.indexOf(label);
        }
        if (k == null) {
          throw new DataFormatException(
              file,
              places.get(i)
                  + ": label '"
                  + raw.get(i)
                  + "' "
                  + (known != null ? known.refusal() : "is not one of the classes " + names));
        }
        out[i] = k;
      }
      return out;
    }

    private static boolean isInteger(String s) {
      return s.matches("[-+]?\\d{1,18}");
    }
  }

  /** Refuses a set with fewer than two classes, naming where it came from. */
  static void checkClasses(Path file, List<String> names) throws DataFormatException {
    if (names.size() < 2) {
      throw new DataFormatException(
          file,
          "holds "
              + names.size()
              + " class"
              + (names.size() == 1 ? " (" + names.get(0) + ")" : "es")
              + "; a classifier needs at least two");
    }
  }
}
