package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.ImageFolder;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.util.OutputDirectories;
import dev.dropwise.util.TextTable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dropwise data}: what a --data source gives, and how long it takes to read; optionally its
 * images as PNG folders.
 */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description =
        "Load --data as training would and show what it holds: examples, shape, classes and their counts, "
            + "the scaling, and the seconds it took to read. --write-images writes image data as PNG class folders.")
final class DataCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();

  @Option(
      names = "--write-images",
      paramLabel = "DIR",
      description =
          "Write the training and test images, unscaled, as PNG files in DIR/train and DIR/test, one folder per "
              + "class (what images:DIR reads).")
  Path writeImages;

  @Override
  public Integer call() throws Exception {
    data.check();
    if (writeImages != null) {
      OutputDirectories.check("--write-images", writeImages);
      data.checkOutside("--write-images", writeImages);
    }
    long start = System.nanoTime();
    ClassificationData loaded = data.load();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (writeImages != null && !loaded.images()) {
      throw new IllegalArgumentException(
          "--write-images: "
              + data.source
              + " holds flat examples of "
              + loaded.shape()
              + ", not images; give --image HxWxC to see them as images");
    }
    System.out.println("data: " + loaded.description());
    System.out.printf(Locale.ROOT, "read and scaled in %.2f s%n", seconds);
    System.out.println(
        "examples: "
            + loaded.train().size()
            + " train, "
            + loaded.test().size()
            + " test; one example: "
            + loaded.shape()
            + (loaded.images() ? " (height, width, channels)" : " features"));
    System.out.println("scaling: " + loaded.preprocessing());
    TextTable table = new TextTable("class", "name", "train", "test");
    int[] train = counts(loaded.train());
    int[] test = counts(loaded.test());
    for (int k = 0; k < train.length; k++) {
      table.row(k, loaded.classNames().get(k), train[k], test[k]);
    }
    System.out.print(table);
    if (writeImages != null) {
      ClassificationData raw = data.spec().withScale(Preprocessing.Scale.NONE).load();
      OutputDirectories.claim("--write-images", writeImages);
      int n =
          ImageFolder.write(
                  raw.train(), raw.shape(), raw.classNames(), writeImages.resolve("train"))
              + ImageFolder.write(
                  raw.test(), raw.shape(), raw.classNames(), writeImages.resolve("test"));
      System.out.println("images: " + n + " PNG files under " + writeImages);
    }
    return 0;
  }

  private static int[] counts(Dataset d) {
    int[] counts = new int[d.classCount()];
    for (int y : d.labels()) {
      counts[y]++;
    }
    return counts;
  }
}
