package dev.dropwise.cli;

import static dev.dropwise.cli.YourOwnDataCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dropwise.cli.YourOwnDataCliTest.Outcome;
import dev.dropwise.export.ServingModel;
import dev.dropwise.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dropwise import --from kotlindl} and {@code train --init-from} on a model KotlinDL saved.
 */
class ImportCommandTest {
  static final Path CNN = Path.of("src/test/resources/dev/dropwise/interop/kotlindl/cnn");
  @TempDir Path dir;

  @Test
  void anImportedModelPredictsAndTrainsOnWithAnotherDropout() throws Exception {
    Path imported = dir.resolve("imported");
    Outcome importing =
        run("import", "--from", "kotlindl", CNN.toString(), "--out", imported.toString());
    assertEquals(0, importing.code(), importing.err());
    assertTrue(
        importing
            .out()
            .lines()
            .anyMatch(l -> l.trim().matches("dropout_8 +Dropout +dropout\\(standard:p=0.5\\)")),
        importing.out());
    JsonNode metadata = Json.MAPPER.readTree(imported.resolve("dropwise-model.json").toFile());
    assertTrue(metadata.get("origin").asText().startsWith("KotlinDL model "), metadata.toString());

    Outcome predict =
        run(
            "predict",
            "--model",
            imported.toString(),
            "--data",
            "embedded",
            "--limit",
            "200",
            "--out",
            dir.resolve("p.csv").toString());
    assertEquals(0, predict.code(), predict.err());
    List<String> rows = Files.readAllLines(dir.resolve("p.csv"));
    assertTrue(rows.get(0).endsWith(",logit_8,logit_9"), rows.get(0));
    // The first logit written by predict is KotlinDL's first logit, to the import's tolerance.
    List<String> kotlindl = Files.readAllLines(CNN.resolve("logits.csv"));
    float expected = Float.parseFloat(kotlindl.get(1).split(",", -1)[1]);
    String[] first = rows.get(1).split(",", -1);
    float actual = Float.parseFloat(first[first.length - 10]);
    assertEquals(expected, actual, 1e-5 * Math.abs(expected) + 1e-6);

    Path trained = dir.resolve("trained");
    Outcome train =
        run(
            "train",
            "--init-from",
            imported.toString(),
            "--data",
            "embedded",
            "--limit",
            "500",
            "--epochs",
            "1",
            "--dropout",
            "ydrop",
            "--out",
            dir.resolve("out").toString(),
            "--export",
            trained.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(
        train
            .out()
            .contains(
                "model: 28x28x1-conv4k3-pool2-conv8k3-pool2-16-10, as imported, dropout "
                    + "ydrop"),
        train.out());
    try (ServingModel served = ServingModel.load(trained)) {
      assertEquals("ydrop", served.trainingSpec().dropoutText());
      // Trained on: the weights moved from the imported ones.
      try (ServingModel before = ServingModel.load(imported)) {
        assertFalse(
            java.util.Arrays.equals(
                before.variable("dense_0_kernel"), served.variable("dense_0_kernel")));
      }
    }
  }

  @Test
  void theImportedNetworkIsNotRedefinedAndOnlyModelsAreStartedFrom() throws Exception {
    Path imported = dir.resolve("imported");
    assertEquals(
        0,
        run("import", "--from", "kotlindl", CNN.toString(), "--out", imported.toString()).code());
    Outcome layers =
        run(
            "train",
            "--init-from",
            imported.toString(),
            "--data",
            "embedded",
            "--layers",
            "64",
            "--out",
            dir.resolve("a").toString());
    assertEquals(2, layers.code());
    assertTrue(
        layers
            .err()
            .contains(
                "--layers does not apply with --init-from "
                    + imported
                    + ": the network is that model's (28x28x1-conv4k3-pool2-conv8k3-pool2-16-10)"),
        layers.err());
    Outcome notAModel =
        run(
            "train",
            "--init-from",
            CNN.toString(),
            "--data",
            "embedded",
            "--out",
            dir.resolve("b").toString());
    assertEquals(2, notAModel.code());
    assertTrue(
        notAModel.err().contains("is not a model dropwise exported or imported"), notAModel.err());
    Outcome from =
        run("import", "--from", "keras", CNN.toString(), "--out", dir.resolve("c").toString());
    assertEquals(2, from.code());
    assertTrue(
        from.err().contains("--from keras is not supported: dropwise imports kotlindl"),
        from.err());
    assertFalse(
        Files.exists(dir.resolve("a"))
            || Files.exists(dir.resolve("b"))
            || Files.exists(dir.resolve("c")));
  }
}
