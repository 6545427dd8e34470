package dev.dropwise.export;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.testing.Messages;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tensorflow.SavedModelBundle;

/**
 * An export's metadata on any bytes, checked against a real export's graph (a 784-64-32-10 MLP that
 * scales its inputs): it is either taken, and then every field dropwise reads from it can be read,
 * or refused with an IOException of dropwise's whose message names the metadata file and holds no
 * Java class name. Committed inputs in {@code ModelMetadataFuzzTestInputs/metadata/}, the real
 * export's metadata among them.
 */
class ModelMetadataFuzzTest {
  private static Path dir;
  private static SavedModelBundle bundle;

  @BeforeAll
  static void export() throws IOException {
    dir = Files.createTempDirectory("dropwise-metadata-fuzz");
    try (TrainingRun run = SavedModelRoundTripTest.trained("standard:p=0.5")) {
      SavedModelExport.export(
          run.model(),
          dir.resolve("model"),
          Preprocessing.fit(Preprocessing.Scale.UNIT, TestSupport.embedded().train(), true),
          ClassificationData.indexNames(10));
    }
    bundle = SavedModelBundle.load(dir.resolve("model").toString(), "serve");
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  @FuzzTest(maxDuration = "10s")
  void metadata(byte[] bytes) throws IOException {
    Path candidate = Files.createDirectories(dir.resolve("candidate"));
    Path file = candidate.resolve(SavedModelExport.METADATA);
    Files.write(file, bytes);
    try {
      ModelMetadata metadata = ModelMetadata.read(candidate);
      metadata.check(bundle.graph(), 784, 10, true);
      // Taken: everything dropwise reads from it reads.
      if (metadata.has("network")) {
        metadata.network();
      } else {
        metadata.activations();
      }
      metadata.preprocessing();
      metadata.classNames();
      metadata.trainingLayers();
    } catch (IOException e) {
      assertTrue(
          e.getMessage().contains(file.toString()),
          "the message names the file: " + e.getMessage());
      assertFalse(
          Messages.showsJava(
              e.getMessage(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8)),
          "no Java class in the message: " + e.getMessage());
    }
  }
}
