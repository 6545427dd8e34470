package dev.dropwise.data;

import dev.dropwise.util.Bytes;
import dev.dropwise.util.ParameterException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * {@code images:DIR}: one subfolder per class (the folder names, sorted, are the class names), PNG
 * or JPEG files read with {@code javax.imageio}, grey or RGB (an alpha channel is dropped). All
 * images must have one size unless {@code size} is given ({@code [height, width, channels]}), to
 * which each is resized (bilinear) and converted. Images are decoded in parallel.
 */
public record ImageFolder(Path dir, List<Integer> size) {

  /** Reads the folder; {@code known}: the classes to look labels up in (else null). */
  public LabelledExamples read(KnownClasses known) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir, "no such directory");
    }
    List<String> classes;
    try (Stream<Path> entries = Files.list(dir)) {
      classes =
          entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> folders = classes; // as named on disk
    IntFunction<String> folderOf = folders::get;
    if (known != null) {
      for (String c : folders) {
        if (known.indexOf(c) < 0) {
          throw new DataFormatException(
              dir.resolve(c), "class folder '" + c + "' " + known.refusal());
        }
      }
      classes = known.names();
      folderOf =
          c ->
              folders.stream()
                  .filter(f -> known.indexOf(f) == c)
                  .findFirst()
                  .orElse(known.names().get(c));
    }
    LabelledExamples.checkClasses(dir, classes);
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int k = 0; k < classes.size(); k++) {
      Path folder = dir.resolve(folderOf.apply(k));
      if (!Files.isDirectory(folder)) {
        continue; // a test folder may lack a class
      }
      List<Path> images;
      try (Stream<Path> entries = Files.list(folder)) {
        images = entries.filter(ImageFiles::isImage).sorted().toList();
      }
      if (images.isEmpty() && known == null) {
        throw new DataFormatException(folder, "class folder holds no .png, .jpg or .jpeg image");
      }
      files.addAll(images);
      for (int i = 0; i < images.size(); i++) {
        labels.add(k);
      }
    }
    if (files.isEmpty()) {
      throw new DataFormatException(dir, "holds no image in its class folders " + classes);
    }
    if (size == null) { // the first image's size, from its header: refused before a huge image is
      // decoded
      int[] declared = ImageFiles.dimensions(files.get(0));
      checkFitsInMemory(files.get(0), files.size(), declared[0], declared[1], 1);
    }
    BufferedImage first = ImageFiles.decode(files.get(0));
    int height = size != null ? size.get(0) : first.getHeight();
    int width = size != null ? size.get(1) : first.getWidth();
    int channels = size != null ? size.get(2) : ImageFiles.isGrey(first) ? 1 : 3;
    int features = checkFitsInMemory(files.get(0), files.size(), height, width, channels);
    float[] x = new float[files.size() * features];
    try {
      IntStream.range(0, files.size())
          .parallel()
          .forEach(
              i -> {
                Path file = files.get(i);
                try {
                  BufferedImage image = i == 0 ? first : ImageFiles.decode(file);
                  if (size == null && (image.getHeight() != height || image.getWidth() != width)) {
                    throw new DataFormatException(
                        file,
                        "is "
                            + image.getHeight()
                            + "x"
                            + image.getWidth()
                            + " but "
                            + files.get(0)
                            + " is "
                            + height
                            + "x"
                            + width
                            + "; give the size to resize every image to (--image HxWxC)");
                  }
                  ImageFiles.pixels(
                      ImageFiles.resized(image, height, width), channels, x, i * features);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    return new LabelledExamples(
        new Dataset(x, y, features, classes.size()),
        classes,
        List.of(height, width, channels),
        true,
        dir
            + " ("
            + files.size()
            + " images of "
            + height
            + "x"
            + width
            + "x"
            + channels
            + ", "
            + classes.size()
            + " classes)");
  }

  /**
   * The values of one image, once {@code count} images of {@code height x width x channels} are
   * known to fit in one Java array and, with the copies that splitting and scaling make (three in
   * all, 4 bytes a value), in the Java heap: refused before they are decoded, as a bad {@code
   * image} size when one was given, else as what the folder's images ({@code first} among them)
   * hold.
   */
  private int checkFitsInMemory(Path first, int count, int height, int width, int channels)
      throws DataFormatException {
    long features = (long) height * width * channels;
    long values = features * count;
    String shape = height + "x" + width + "x" + channels;
    String problem = null;
    if (features > Bytes.MAX_ARRAY_LENGTH || values > Bytes.MAX_ARRAY_LENGTH) {
      problem =
          String.format(
              Locale.ROOT,
              "%,d images of %s are %,d values, more than one Java array holds (%,d)",
              count,
              shape,
              values,
              Bytes.MAX_ARRAY_LENGTH);
    } else {
      double bytes = 3.0 * 4 * values;
      long heap = Runtime.getRuntime().maxMemory();
      if (bytes > heap) {
        problem =
            String.format(
                Locale.ROOT,
                "%,d images of %s (%s) need at least %s of memory to load (the values, "
                    + "their split and their scaled copy, 4 bytes each), more than the %s this Java process may use",
                count,
                shape,
                dir,
                Bytes.text(bytes),
                Bytes.text((double) heap));
      }
    }
    if (problem == null) {
      return (int) features;
    }
    if (size != null) {
      throw new ParameterException("image", shape, problem + "; give a smaller --image size");
    }
    throw new DataFormatException(
        first,
        "is "
            + height
            + "x"
            + width
            + ": "
            + problem
            + "; give a smaller size to resize every image to (--image HxWxC)");
  }

  /**
   * Writes {@code data} (values 0 to 255, examples of shape {@code [height, width, 1 or 3]}) as PNG
   * files in one folder per class under {@code dir}, which is claimed as a dropwise output. Folders
   * are named {@code <index>-<name>} with the index zero-padded, so that they sort in label order
   * and {@code images:DIR} reads the same labels back; returns the number of files written.
   */
  public static int write(Dataset data, List<Integer> shape, List<String> classNames, Path dir)
      throws IOException {
    if (shape.size() != 3 || (shape.get(2) != 1 && shape.get(2) != 3)) {
      throw new IllegalArgumentException(
          "only images of shape [height, width, 1 or 3] can be written as PNG, not " + shape);
    }
    for (float v : data.features()) {
      if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
        throw new IllegalArgumentException(
            "PNG holds 8-bit values; this data holds " + v + " (write it unscaled)");
      }
    }
    dev.dropwise.util.OutputDirectories.claim("image directory", dir);
    int height = shape.get(0);
    int width = shape.get(1);
    int channels = shape.get(2);
    int digits = String.valueOf(classNames.size() - 1).length();
    List<Path> folders = new ArrayList<>();
    for (int k = 0; k < classNames.size(); k++) {
      Path folder =
          dir.resolve(
              String.format(
                  "%0" + digits + "d-%s", k, classNames.get(k).replaceAll("[/\\\\:]", "-")));
      Files.createDirectories(folder);
      folders.add(folder);
    }
    int features = data.featureCount();
    try {
      IntStream.range(0, data.size())
          .parallel()
          .forEach(
              i -> {
                BufferedImage image =
                    new BufferedImage(
                        width,
                        height,
                        channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
                for (int p = 0; p < height * width; p++) {
                  for (int c = 0; c < channels; c++) {
                    image
                        .getRaster()
                        .setSample(
                            p % width,
                            p / width,
                            c,
                            (int) data.features()[i * features + p * channels + c]);
                  }
                }
                try {
                  ImageIO.write(
                      image,
                      "png",
                      folders.get(data.labels()[i]).resolve(String.format("%06d.png", i)).toFile());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return data.size();
  }
}
