package dev.dropwise.experiments;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.Errors;
import dev.dropwise.util.FileNames;
import dev.dropwise.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A sweep's finished runs, each kept as JSON in the runs directory under a name that changes with
 * anything that shapes the run, so a sweep run again finds what it finished and trains the rest.
 */
final class SavedRuns {
  private SavedRuns() {}

  /** Where {@code task}'s run is kept under {@code runsDir}; null without a runs directory. */
  static Path path(Path runsDir, RunTask task, int trainSize, ClassificationData data) {
    return runsDir == null
        ? null
        : runsDir.resolve(
            name(
                task.label(),
                task.spec(),
                task.config(),
                task.validationFraction(),
                trainSize,
                data.description()));
  }

  /**
   * The run saved at {@code saved} if it finished without failing, else null. A run saved as
   * finished with a non-finite test loss (before divergence was caught) counts as not finished.
   */
  static Comparison.Run loadFinished(Path saved) throws IOException {
    if (saved == null || !Files.isRegularFile(saved)) {
      return null;
    }
    Comparison.Run done;
    try {
      done = Json.MAPPER.readValue(saved.toFile(), Comparison.Run.class);
    } catch (IOException e) {
      throw new IOException(
          "the saved run "
              + saved
              + " cannot be read ("
              + Errors.firstLine(e)
              + "); delete it to train that run again",
          e);
    }
    return done.failed() || !Double.isFinite(done.testLoss()) ? null : done;
  }

  /**
   * A file name that changes with anything that shapes the run: method, model, optimiser, batch,
   * seeds, data.
   */
  static String name(
      String method,
      ModelSpec spec,
      TrainConfig config,
      double validationFraction,
      int trainSize,
      String data) {
    String identity =
        method
            + "|"
            + spec
            + "|"
            + config.optimizer().text()
            + "|"
            + config.batchSize()
            + "|"
            + config.epochs()
            + "|"
            + config.patience()
            + "|"
            + config.seeds()
            + "|"
            + validationFraction
            + "|"
            + trainSize
            + "|"
            + data;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      String slug = FileNames.slug(method);
      return slug.substring(0, Math.min(60, slug.length()))
          + "-"
          + HexFormat.of().formatHex(digest, 0, 8)
          + ".json";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
