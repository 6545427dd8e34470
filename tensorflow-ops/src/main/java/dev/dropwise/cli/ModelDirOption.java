package dev.dropwise.cli;

import dev.dropwise.export.SavedModelExport;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR}: an exported SavedModel, checked before any work. */
final class ModelDirOption {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "A SavedModel written by dropwise train --export.")
  Path dir;

  void check() {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new IllegalArgumentException("--model " + dir + ": no saved_model.pb there");
    }
  }

  /**
   * Refuses a SavedModel without dropwise's metadata, for a command that needs the layer structure
   * it records.
   */
  void checkMetadata(String command) {
    if (!Files.isRegularFile(dir.resolve(SavedModelExport.METADATA))) {
      throw new IllegalArgumentException(
          "--model "
              + dir
              + " holds no "
              + SavedModelExport.METADATA
              + ": "
              + command
              + " needs the layers that dropwise records there when it exports a model (dropwise train --export)");
    }
  }
}
