package dev.dropwise.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A train/test pair, as the network sees it (scaled by {@link #preprocessing}), with a line saying
 * where it came from, the classes' names, and the shape of one example: {@code [features]} for a
 * table, {@code [height, width, channels]} for images; {@code origin} is the request that loaded it
 * (null for data made in memory), so that another machine can load the same.
 */
public record ClassificationData(
    Dataset train,
    Dataset test,
    String description,
    List<String> classNames,
    List<Integer> shape,
    Preprocessing preprocessing,
    DataSpec origin) {

  /**
   * Copies the lists; refused unless the class names, both sets' class and feature counts, and the
   * shape agree.
   */
  public ClassificationData {
    classNames = List.copyOf(classNames);
    shape = List.copyOf(shape);
    if (classNames.size() != train.classCount() || test.classCount() != train.classCount()) {
      throw new IllegalArgumentException(
          classNames.size() + " class names for " + train.classCount() + " classes");
    }
    if (train.featureCount() != test.featureCount()) {
      throw new IllegalArgumentException(
          "the training set has "
              + train.featureCount()
              + " features per example, the test set "
              + test.featureCount());
    }
    if (shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b)
        != train.featureCount()) {
      throw new IllegalArgumentException(
          "an example of shape " + shape + " does not hold " + train.featureCount() + " features");
    }
  }

  /** Flat examples, classes named by their index, unscaled, made in memory. */
  public ClassificationData(Dataset train, Dataset test, String description) {
    this(
        train,
        test,
        description,
        indexNames(train.classCount()),
        List.of(train.featureCount()),
        Preprocessing.NONE,
        null);
  }

  /**
   * The test set before scaling, as an export of a model trained on this data takes it (the export
   * scales its raw inputs itself), the examples of classes held out of it ({@link #heldOut})
   * included: the test set where nothing scaled it or held classes out, else read again from {@link
   * #origin} so.
   */
  public Dataset unscaledTest() throws IOException {
    if (preprocessing.scale() == Preprocessing.Scale.NONE && heldOut() == null) {
      return test;
    }
    if (origin == null) {
      throw new IllegalStateException(
          "this data was scaled in memory: there is no unscaled test set to read again");
    }
    return origin.withScale(Preprocessing.Scale.NONE).withOodClasses(null).load().test();
  }

  /** The classes held out of both sets ({@link DataSpec#oodClasses}); null when none are. */
  public HeldOutClasses heldOut() {
    return origin == null || origin.oodClasses() == null
        ? null
        : HeldOutClasses.of(
            origin.oodClasses(), KnownClasses.ofTrainingData(classNames), "oodClasses");
  }

  /** {@code "0"}, {@code "1"}, ... */
  public static List<String> indexNames(int classes) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      names.add(String.valueOf(i));
    }
    return names;
  }

  /** Whether an example is an image ({@code [height, width, channels]}). */
  public boolean images() {
    return shape.size() == 3;
  }
}
