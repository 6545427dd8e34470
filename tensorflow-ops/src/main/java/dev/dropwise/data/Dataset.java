package dev.dropwise.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Examples as a dense row-major float matrix with integer class labels. Immutable: every operation
 * returns a new dataset.
 *
 * @param features {@code size * featureCount} values, example-major
 * @param labels one class index per example, in {@code [0, classCount)}
 */
public record Dataset(float[] features, int[] labels, int featureCount, int classCount) {

  /**
   * Refuses a feature count below 1, features that do not hold {@code featureCount} values per
   * label, and a label outside {@code [0, classCount)}.
   */
  public Dataset {
    if (featureCount < 1) {
      throw new IllegalArgumentException("featureCount must be >= 1, got " + featureCount);
    }
    if (features.length != (long) labels.length * featureCount) {
      throw new IllegalArgumentException(
          "features holds "
              + features.length
              + " values; "
              + labels.length
              + " examples of "
              + featureCount
              + " features need "
              + (long) labels.length * featureCount);
    }
    for (int label : labels) {
      if (label < 0 || label >= classCount) {
        throw new IllegalArgumentException("label " + label + " outside [0, " + classCount + ")");
      }
    }
  }

  /** Number of examples. */
  public int size() {
    return labels.length;
  }

  /** The examples at the given indices, in that order. */
  public Dataset select(int[] indices) {
    float[] x = new float[indices.length * featureCount];
    int[] y = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(features, indices[i] * featureCount, x, i * featureCount, featureCount);
      y[i] = labels[indices[i]];
    }
    return new Dataset(x, y, featureCount, classCount);
  }

  /** The first {@code n} examples (all of them if there are fewer). */
  public Dataset head(int n) {
    int k = Math.min(n, size());
    return new Dataset(
        Arrays.copyOf(features, k * featureCount),
        Arrays.copyOf(labels, k),
        featureCount,
        classCount);
  }

  /** These examples, then {@code more}'s (of the same number of features). */
  public Dataset concat(Dataset more) {
    if (more.featureCount != featureCount) {
      throw new IllegalArgumentException(
          "examples of " + more.featureCount + " features after " + featureCount);
    }
    float[] x = Arrays.copyOf(features, features.length + more.features.length);
    System.arraycopy(more.features, 0, x, features.length, more.features.length);
    int[] y = Arrays.copyOf(labels, labels.length + more.labels.length);
    System.arraycopy(more.labels, 0, y, labels.length, more.labels.length);
    return new Dataset(x, y, featureCount, Math.max(classCount, more.classCount));
  }

  /**
   * Splits off a validation set: a seeded shuffle, then the last {@code round(fraction * size)}
   * examples become validation. The same seed always gives the same split.
   */
  public Split split(double validationFraction, long seed) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validation fraction must be in [0, 1), got " + validationFraction);
    }
    int[] order = permutation(size(), seed);
    int validation = (int) Math.round(validationFraction * size());
    int train = size() - validation;
    if (train < 1) {
      throw new IllegalArgumentException(
          "validation fraction "
              + validationFraction
              + " of "
              + size()
              + " examples holds out "
              + validation
              + " for validation and leaves "
              + train
              + " for training: lower the fraction or use more examples");
    }
    return new Split(
        select(Arrays.copyOfRange(order, 0, train)),
        select(Arrays.copyOfRange(order, train, size())));
  }

  /**
   * SHA-256 of the examples (features as IEEE floats, then labels, big-endian) and the shape, in
   * hex: two datasets share it only if they hold the same examples in the same order.
   */
  public String digest() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer header =
        ByteBuffer.allocate(12).putInt(size()).putInt(featureCount).putInt(classCount);
    sha.update(header.flip());
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    for (int i = 0; i < features.length; ) {
      int n = Math.min(features.length - i, chunk.capacity() / Float.BYTES);
      chunk.clear().asFloatBuffer().put(features, i, n);
      sha.update(chunk.array(), 0, n * Float.BYTES);
      i += n;
    }
    for (int i = 0; i < labels.length; ) {
      int n = Math.min(labels.length - i, chunk.capacity() / Integer.BYTES);
      chunk.clear().asIntBuffer().put(labels, i, n);
      sha.update(chunk.array(), 0, n * Integer.BYTES);
      i += n;
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** A training set and the validation set split from it. */
  public record Split(Dataset train, Dataset validation) {}

  /** A uniformly random permutation of {@code 0..n-1}, fixed by the seed (Fisher-Yates). */
  public static int[] permutation(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
