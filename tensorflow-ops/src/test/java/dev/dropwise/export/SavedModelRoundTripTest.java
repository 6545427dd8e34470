package dev.dropwise.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.Dataset;
import dev.dropwise.data.Npy;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;

class SavedModelRoundTripTest {
  @TempDir Path dir;

  static TrainingRun trained(String dropout) throws IOException {
    ModelSpec spec =
        ModelSpec.mlp(
            784,
            List.of(64, 32),
            Activation.RELU,
            Initializer.HE_UNIFORM,
            DropoutSpec.parse(dropout),
            10);
    TrainConfig config = TrainConfig.defaults().withEpochs(1);
    Dataset.Split data = TestSupport.embedded().train().head(800).split(0.1, 1);
    return Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE);
  }

  @Test
  void aFreshJvmGetsTheTrainedModelsInferenceOutputsExactly() throws Exception {
    Dataset test = TestSupport.embedded().test().head(50);
    Path model = dir.resolve("model");
    float[] expected;
    try (TrainingRun run = trained("sector:n=8,p=0.5")) {
      SavedModelExport.export(run.model(), model);
      expected = run.model().logits(test, 50, false, 0);
    }
    Npy.write(dir.resolve("x.npy"), test.features(), 50, 784);
    Process child =
        TestSupport.startJvm(
            dir.resolve("probe.log"),
            ServingProbe.class.getName(),
            model.toString(),
            dir.resolve("x.npy").toString(),
            dir.resolve("logits.npy").toString(),
            dir.resolve("p.npy").toString());
    assertEquals(0, child.waitFor(), Files.readString(dir.resolve("probe.log")));
    Npy.Array logits = Npy.read(dir.resolve("logits.npy"));
    assertArrayEquals(new long[] {50, 10}, logits.shape());
    assertArrayEquals(
        expected, logits.data(), "serving_default reproduces the trained model bit for bit");
    float[] p = Npy.read(dir.resolve("p.npy")).data();
    for (int i = 0; i < 50; i++) {
      double sum = 0;
      for (int c = 0; c < 10; c++) {
        sum += p[i * 10 + c];
      }
      assertEquals(1.0, sum, 1e-5, "probabilities of example " + i);
    }
  }

  @Test
  void servingDefaultRunsNoDropoutNoSwitchAndNoOptimizerSlot() throws IOException {
    Path model = dir.resolve("model");
    try (TrainingRun run = trained("standard:p=0.5")) {
      SavedModelExport.export(run.model(), model);
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve")) {
      // Every op serving_default runs: the ops its outputs (logits, probabilities) depend on.
      List<String> ops =
          bundle
              .graph()
              .subgraphToOps(
                  Set.of(
                      bundle.graph().operation("logits"),
                      bundle.graph().operation("probabilities")))
              .stream()
              .map(org.tensorflow.GraphOperation::name)
              .toList();
      assertTrue(ops.contains("x") && ops.contains("dense_2/MatMul"), ops.toString());
      for (String op : ops) {
        String lower = op.toLowerCase(Locale.ROOT);
        assertFalse(
            lower.contains("dropout")
                || lower.contains("random")
                || lower.contains("momentum")
                || lower.equals("training")
                || lower.equals("step"),
            "unexpected op in the serving graph: " + op);
      }
      assertEquals(
          Set.of("serving_default", "mc_dropout", "mc_dropout_passes", "mc_dropout_shared_passes"),
          bundle.signatures().stream().map(s -> s.key()).collect(Collectors.toSet()),
          "standard dropout draws masks from a seed alone: the export also carries mc_dropout, "
              + "its batched form and the batched form with shared masks");
      assertTrue(
          opNames(bundle).stream()
              .noneMatch(op -> op.toLowerCase(Locale.ROOT).contains("momentum")),
          "no optimizer slot anywhere in the graph");
    }
  }

  @Test
  void aFailedExportLeavesNothingAndKeepsThePreviousModel() throws IOException {
    Path model = dir.resolve("model");
    try (TrainingRun run = trained("none")) {
      SavedModelExport.export(run.model(), model);
      byte[] before = Files.readAllBytes(model.resolve("saved_model.pb"));
      Path blocked = dir.resolve("file");
      Files.writeString(blocked, "not a directory");
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> SavedModelExport.export(run.model(), blocked.resolve("model")));
      assertTrue(
          e.getMessage().contains("cannot be created: " + blocked + " is a file"), e.getMessage());
      assertArrayEquals(before, Files.readAllBytes(model.resolve("saved_model.pb")));
      SavedModelExport.export(run.model(), model);
    }
    try (Stream<Path> entries = Files.list(dir)) {
      assertEquals(
          List.of("file", "model"),
          entries.map(p -> p.getFileName().toString()).sorted().toList(),
          "no staging directory is left behind");
    }
  }

  private static List<String> opNames(SavedModelBundle bundle) {
    List<String> names = new ArrayList<>();
    bundle.graph().operations().forEachRemaining(op -> names.add(op.name()));
    return names;
  }
}
