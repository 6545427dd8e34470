package dev.dropwise.data;

import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything that says which examples a run trains and tests on, and how they are scaled: the
 * source, where the test set comes from (the source's own, {@code testSource}, or a stratified
 * {@code testFraction} split seeded by {@code splitSeed}), the scaling ({@code null}: unit for
 * 8-bit images, standardize for everything else) and an image size ({@code [height, width,
 * channels]}: images are resized to it, flat features reshaped to it; null: as the source gives
 * them), and classes held out of both training and test sets ({@code oodClasses}, by name or index;
 * null or empty: none), so that their examples can stand for inputs the model has never seen.
 *
 * <p>The test split is seeded by {@code splitSeed}, not by a run's seed, so that every run of a
 * sweep is tested on the same examples.
 */
public record DataSpec(
    String source,
    String testSource,
    Double testFraction,
    long splitSeed,
    Preprocessing.Scale scale,
    List<Integer> image,
    List<String> oodClasses) {

  /** The test share split off a source that has no test set, unless told otherwise. */
  public static final double DEFAULT_TEST_FRACTION = 0.2;

  /**
   * Refuses a test fraction outside (0, 1), a test fraction beside a test source, and an image size
   * that is not {@code [height, width, 1 or 3]}, each at least 1.
   */
  public DataSpec {
    if (testFraction != null && !(testFraction > 0 && testFraction < 1)) {
      throw new ParameterException("testFraction", testFraction, "must be in (0, 1)");
    }
    if (testFraction != null && testSource != null) {
      throw new ParameterException(
          "testFraction",
          testFraction,
          "give either a test source (" + testSource + ") or a fraction to split off, not both");
    }
    if (image != null && (image.size() != 3 || image.stream().anyMatch(d -> d < 1))) {
      throw new ParameterException(
          "image", image, "must be HEIGHTxWIDTHxCHANNELS, each at least 1");
    }
    if (image != null && image.get(2) != 1 && image.get(2) != 3) {
      throw new ParameterException("image", image, "images have 1 (grey) or 3 (RGB) channels");
    }
    oodClasses = oodClasses == null || oodClasses.isEmpty() ? null : List.copyOf(oodClasses);
  }

  /** The request of the six settings that came before held-out classes, holding none out. */
  public DataSpec(
      String source,
      String testSource,
      Double testFraction,
      long splitSeed,
      Preprocessing.Scale scale,
      List<Integer> image) {
    this(source, testSource, testFraction, splitSeed, scale, image, null);
  }

  /** {@code source} with its own test set or the default split, default scaling, no resizing. */
  public static DataSpec of(String source) {
    return new DataSpec(source, null, null, 1, null, null);
  }

  /** The same request scaled as {@code scale}. */
  public DataSpec withScale(Preprocessing.Scale scale) {
    return new DataSpec(source, testSource, testFraction, splitSeed, scale, image, oodClasses);
  }

  /** The same request with {@code classes} (names or indices; null: none) held out. */
  public DataSpec withOodClasses(List<String> classes) {
    return new DataSpec(source, testSource, testFraction, splitSeed, scale, image, classes);
  }

  /**
   * Parses the sources: a path that does not exist or a bad setting is refused before anything
   * loads.
   */
  public void check() {
    sources();
  }

  /**
   * The training source and the test source (null: the source's own test set or a split), checked.
   */
  private record Sources(DataSource train, DataSource test) {}

  private Sources sources() {
    DataSource train = DataSource.parse(source, "data");
    DataSource test = testSource == null ? null : DataSource.parse(testSource, "testData");
    if (train.hasTestSet() && testFraction != null) {
      throw new ParameterException(
          "testFraction", testFraction, "the source " + source + " has a test set of its own");
    }
    return new Sources(train, test);
  }

  /**
   * Reads, splits and scales the data; the scaling's statistics come from the training split alone.
   */
  public ClassificationData load() throws IOException {
    return load(null);
  }

  /**
   * {@link #load()} with every label looked up by name in {@code known} (a model's classes, for the
   * data it is evaluated on), so that class indices are the model's; a label {@code known} lacks is
   * refused. Null: the data's own classes.
   */
  public ClassificationData load(KnownClasses known) throws IOException {
    Sources sources = sources();
    DataSource trainSource = sources.train();
    boolean resize = trainSource.kind() == DataSource.Kind.IMAGES;
    DataSource.Read read = trainSource.read(known, resize ? image : null);
    LabelledExamples all = relabel(read.examples(), known, "data", source);
    LabelledExamples ownTest =
        read.test() == null ? null : relabel(read.test(), known, "data", source);
    Dataset train;
    Dataset test;
    String testLine;
    if (sources.test() != null) {
      DataSource testFrom = sources.test();
      LabelledExamples t =
          relabel(
              testFrom
                  .read(
                      known != null ? known : KnownClasses.ofTrainingData(all.classNames()),
                      testFrom.kind() == DataSource.Kind.IMAGES ? shape(all, resize) : null)
                  .examples(),
              known,
              "testData",
              testSource);
      if (t.examples().featureCount() != all.examples().featureCount()) {
        throw new ParameterException(
            "testData",
            testSource,
            "its examples have "
                + t.examples().featureCount()
                + " features, the training data's "
                + all.examples().featureCount());
      }
      train = all.examples();
      test = t.examples();
      testLine = "test set from " + t.description();
    } else if (ownTest != null) {
      train = all.examples();
      test = ownTest.examples();
      testLine = null;
    } else {
      double fraction = testFraction != null ? testFraction : DEFAULT_TEST_FRACTION;
      Dataset[] parts = stratifiedSplit(all.examples(), fraction, splitSeed);
      train = parts[0];
      test = parts[1];
      testLine =
          "test set: "
              + test.size()
              + " examples split off ("
              + fraction
              + ", stratified, seed "
              + splitSeed
              + ")";
    }
    if (oodClasses != null) {
      HeldOutClasses held =
          HeldOutClasses.of(
              oodClasses,
              known != null ? known : KnownClasses.ofTrainingData(all.classNames()),
              "oodClasses");
      train = held.without(train);
      test = held.without(test);
      testLine = (testLine == null ? "" : testLine + "; ") + "held out of both sets: " + held;
    }
    Preprocessing.Scale usual =
        all.eightBit() ? Preprocessing.Scale.UNIT : Preprocessing.Scale.STANDARDIZE;
    Preprocessing.Scale chosen = scale != null ? scale : usual;
    Preprocessing preprocessing = Preprocessing.fit(chosen, train, all.eightBit());
    // Fashion-MNIST as always (pixels / 255) keeps its description of old; anything else says how
    // it was scaled.
    boolean asAlways = trainSource.hasTestSet() && chosen == usual;
    String description =
        all.description()
            + (testLine == null ? "" : "; " + testLine)
            + (asAlways ? "" : "; inputs scaled: " + preprocessing);
    return new ClassificationData(
        preprocessing.apply(train),
        preprocessing.apply(test),
        description,
        all.classNames(),
        shape(all, resize),
        preprocessing,
        this);
  }

  /**
   * {@code examples} with class indices into {@code known}'s names, for a source whose classes are
   * fixed (Fashion-MNIST's ten): each of its classes must be one of {@code known}'s, by its name
   * or, since an IDX file's labels are the numbers 0 to 9, by its number (a model that knew its
   * classes only by index). Sources that read labels as text looked them up in {@code known}
   * already and come back as they are.
   */
  private static LabelledExamples relabel(
      LabelledExamples examples, KnownClasses known, String parameter, String source) {
    if (known == null || examples.classNames().equals(known.names())) {
      return examples;
    }
    int[] index = new int[examples.classNames().size()];
    for (int k = 0; k < index.length; k++) {
      index[k] = known.names().indexOf(examples.classNames().get(k));
      if (index[k] < 0) {
        index[k] = known.names().indexOf(String.valueOf(k));
      }
      if (index[k] < 0) {
        throw new ParameterException(
            parameter,
            source,
            "its class '" + examples.classNames().get(k) + "' " + known.refusal());
      }
    }
    Dataset d = examples.examples();
    int[] labels = new int[d.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = index[d.labels()[i]];
    }
    return new LabelledExamples(
        new Dataset(d.features(), labels, d.featureCount(), known.names().size()),
        known.names(),
        examples.shape(),
        examples.eightBit(),
        examples.description());
  }

  /**
   * The shape of one example: the source's, or {@link #image} (a resize for images, a reshape for
   * flat features).
   */
  private List<Integer> shape(LabelledExamples all, boolean resized) {
    if (image == null || resized) {
      return all.shape();
    }
    long size = (long) image.get(0) * image.get(1) * image.get(2);
    if (size != all.examples().featureCount()) {
      throw new ParameterException(
          "image",
          image.get(0) + "x" + image.get(1) + "x" + image.get(2),
          "it holds "
              + size
              + " values but the data has "
              + all.examples().featureCount()
              + " features per example");
    }
    return image;
  }

  /**
   * {@code [train, test]}: from each class, {@code round(fraction * count)} examples (at least one
   * when the class has two or more) drawn by a seeded shuffle go to the test set; both keep the
   * source's order.
   */
  public static Dataset[] stratifiedSplit(Dataset data, double fraction, long seed) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int k = 0; k < data.classCount(); k++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < data.size(); i++) {
      byClass.get(data.labels()[i]).add(i);
    }
    boolean[] isTest = new boolean[data.size()];
    for (int k = 0; k < byClass.size(); k++) {
      List<Integer> members = byClass.get(k);
      int take = (int) Math.round(fraction * members.size());
      if (take == 0 && members.size() >= 2) {
        take = 1;
      }
      if (take == members.size() && take > 0) {
        take--; // every class keeps a training example
      }
      int[] order = Dataset.permutation(members.size(), seed * 1_000_003L + k);
      for (int j = 0; j < take; j++) {
        isTest[members.get(order[j])] = true;
      }
    }
    int[] train = new int[data.size()];
    int[] test = new int[data.size()];
    int a = 0;
    int b = 0;
    for (int i = 0; i < data.size(); i++) {
      if (isTest[i]) {
        test[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    if (b == 0) {
      throw new ParameterException(
          "testFraction", fraction, "of " + data.size() + " examples leaves no test example");
    }
    return new Dataset[] {
      data.select(Arrays.copyOf(train, a)), data.select(Arrays.copyOf(test, b))
    };
  }
}
