package dev.dropwise.cli;

import dev.dropwise.data.FashionMnist;
import dev.dropwise.data.ImageClassificationData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data}: {@code fashion-mnist} (system copy, else the embedded subset), {@code embedded}, or a directory. */
final class DataOption {
  @Option(names = "--data", paramLabel = "SOURCE", defaultValue = "fashion-mnist",
      description = "fashion-mnist (from ${dropwise.fashionMnistDir:-/usr/share/datasets/fashion-mnist}, "
          + "else the embedded subset), embedded, or a directory holding the four IDX files. Default: ${DEFAULT-VALUE}")
  String source;

  /** Fails on a directory that does not exist, before anything is built. */
  void check() {
    if (!source.equals("fashion-mnist") && !source.equals("embedded") && !Files.isDirectory(Path.of(source))) {
      throw new IllegalArgumentException(
          "--data " + source + ": no such directory; use fashion-mnist, embedded or an existing directory");
    }
  }

  ImageClassificationData load() throws IOException {
    return switch (source) {
      case "fashion-mnist" -> FashionMnist.loadDefault();
      case "embedded" -> FashionMnist.loadEmbedded();
      default -> FashionMnist.load(Path.of(source));
    };
  }
}
