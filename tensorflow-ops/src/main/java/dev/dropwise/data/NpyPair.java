package dev.dropwise.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code npy:X.npy,Y.npy}: features X of shape [N, F], [N, H, W] or [N, H, W, C]; integer labels Y
 * of shape [N].
 */
final class NpyPair {
  private NpyPair() {}

  static LabelledExamples read(Path xFile, Path yFile, KnownClasses known) throws IOException {
    Npy.Array x = Npy.read(xFile);
    long[] shape = x.shape();
    if (shape.length < 2 || shape.length > 4) {
      throw new DataFormatException(
          xFile,
          "its shape "
              + Arrays.toString(shape)
              + " is not supported: [N, features], "
              + "[N, H, W] or [N, H, W, C] are");
    }
    if (shape[0] == 0) {
      throw new DataFormatException(
          xFile, "holds no examples (its shape is " + Arrays.toString(shape) + ")");
    }
    if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
      throw new DataFormatException(
          xFile, "its examples hold no values (its shape is " + Arrays.toString(shape) + ")");
    }
    String[] y = Npy.readLabels(yFile);
    if (y.length != shape[0]) {
      throw new DataFormatException(
          yFile,
          "holds "
              + y.length
              + " labels but "
              + xFile.getFileName()
              + " holds "
              + shape[0]
              + " examples");
    }
    float[] values = x.data();
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new DataFormatException(
            xFile,
            "the value at index "
                + index(i, shape)
                + " is "
                + values[i]
                + "; every value must be finite");
      }
    }
    LabelledExamples.LabelCoder coder = new LabelledExamples.LabelCoder(yFile, known);
    for (int i = 0; i < y.length; i++) {
      coder.add(y[i], "index " + i);
    }
    List<String> classes = coder.names();
    LabelledExamples.checkClasses(yFile, classes);
    List<Integer> example = new ArrayList<>();
    for (int d = 1; d < shape.length; d++) {
      example.add((int) shape[d]);
    }
    if (shape.length == 3) {
      example.add(1); // [N, H, W]: one channel
    }
    int features = (int) (values.length / shape[0]);
    return new LabelledExamples(
        new Dataset(values, coder.indices(), features, classes.size()),
        classes,
        example,
        Npy.isUint8(xFile),
        xFile + " (" + shape[0] + " examples of " + example + ", " + classes.size() + " classes)");
  }

  /** The multi-index of flat position {@code i} in {@code shape}, as NumPy writes it: (a, b, c). */
  private static String index(int i, long[] shape) {
    long[] at = new long[shape.length];
    long rest = i;
    for (int d = shape.length - 1; d >= 0; d--) {
      at[d] = rest % shape[d];
      rest /= shape[d];
    }
    return "(" + String.join(", ", Arrays.stream(at).mapToObj(String::valueOf).toList()) + ")";
  }
}
