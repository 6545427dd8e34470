package dev.dropwise.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR}: an exported SavedModel, checked before any work. */
final class ModelDirOption {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "A SavedModel written by dropwise train --export.")
  Path dir;

  void check() {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException("--model " + dir + ": no saved_model.pb there");
    }
  }
}
