package dev.dropwise.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.model.StartingWeights;
import dev.dropwise.testing.TestSupport;
import dev.dropwise.train.ModelSession;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.RunSeeds;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The import against models KotlinDL 0.4.0 itself trained and saved (the fixtures under
 * resources/dev/dropwise/interop/kotlindl, written by {@code kotlindl/run --model
 * mlp|cnn|mlp_bn|mlp_activations --hidden 32|32|16|16 --dropout 0.5|0.5|0.3|0.2 --epochs 1 --seed 7
 * --out DIR}, with the logits KotlinDL computed for the first 200 Fashion-MNIST test images). The
 * kotlindl module repeats this on freshly trained models, in a JVM of its own.
 */
class KotlinDlModelTest {
  /** The import's tolerance on logits, relative to the largest logit of the example. */
  static final double TOLERANCE = 1e-5;

  @TempDir Path dir;

  static Path fixture(String name) {
    try {
      return Path.of(KotlinDlModelTest.class.getResource("kotlindl/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * KotlinDL's labels and logits of the first 200 test images, as its reference program wrote them.
   */
  record Reference(int[] labels, float[][] logits) {
    static Reference of(Path model) throws IOException {
      List<String> rows = Files.readAllLines(model.resolve("logits.csv"));
      int[] labels = new int[rows.size() - 1];
      float[][] logits = new float[rows.size() - 1][];
      for (int i = 1; i < rows.size(); i++) {
        String[] cells = rows.get(i).split(",", -1);
        labels[i - 1] = Integer.parseInt(cells[0]);
        logits[i - 1] = new float[cells.length - 1];
        for (int c = 1; c < cells.length; c++) {
          logits[i - 1][c - 1] = Float.parseFloat(cells[c]);
        }
      }
      return new Reference(labels, logits);
    }
  }

  /**
   * The largest difference of {@code actual} ({@code [n * classes]}) from the reference, relative
   * to each row's largest logit.
   */
  static double worstRelativeError(Reference reference, float[] actual) {
    double worst = 0;
    int classes = reference.logits()[0].length;
    for (int i = 0; i < reference.logits().length; i++) {
      double scale = 0;
      for (float v : reference.logits()[i]) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int c = 0; c < classes; c++) {
        worst =
            Math.max(worst, Math.abs(actual[i * classes + c] - reference.logits()[i][c]) / scale);
      }
    }
    return worst;
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "cnn", "mlp-bn", "mlp-activations"})
  void anImportedModelServesKotlinDlsLogits(String name) throws Exception {
    Reference reference = Reference.of(fixture(name));
    Dataset test = TestSupport.embedded().test().head(reference.labels().length);
    assertArrayEquals(reference.labels(), test.labels(), "the same test images, in the same order");
    KotlinDlModel model = KotlinDlModel.read(fixture(name));
    Path export = dir.resolve("model");
    SavedModelExport.export(
        model.spec(),
        model.weights(),
        export,
        Preprocessing.NONE,
        ClassificationData.indexNames(10),
        "test");
    try (ServingModel served = ServingModel.load(export)) {
      float[] logits = served.predict(test.features(), test.size()).logits();
      double worst = worstRelativeError(reference, logits);
      assertTrue(worst < TOLERANCE, name + ": worst relative difference " + worst);
      assertEquals(model.spec().withoutDropout(), served.network().withoutDropout());
      assertEquals(
          model.spec(), served.trainingSpec(), "the imported Dropout is kept for training on");
    }
  }

  @Test
  void layersMapAsDocumented() throws Exception {
    assertEquals(
        List.of(
            "dense(units=32)",
            "dropout(standard:p=0.5)",
            "dense(units=10,activation=linear,init=glorot-uniform)"),
        texts(KotlinDlModel.read(fixture("mlp")).spec()));
    assertEquals(
        784,
        KotlinDlModel.read(fixture("mlp")).spec().inputs(),
        "Flatten after the input: a flat input");
    assertEquals(
        List.of(
            "conv(filters=4,size=3)",
            "pool(size=2)",
            "conv(filters=8,size=3)",
            "pool(size=2)",
            "flatten",
            "dense(units=16)",
            "dropout(standard:p=0.5)",
            "dense(units=10,activation=linear,init=glorot-uniform)"),
        texts(KotlinDlModel.read(fixture("cnn")).spec()));
    // Dense(linear), BatchNormalization, Activation(relu): one dropwise layer normalised before its
    // ReLU.
    KotlinDlModel bn = KotlinDlModel.read(fixture("mlp-bn"));
    assertEquals(
        List.of(
            "dense(units=16)",
            "bn",
            "dropout(standard:p=0.3)",
            "dense(units=10,activation=linear,init=glorot-uniform)"),
        texts(bn.spec()));
    assertEquals(
        List.of("sigmoid", "tanh", "elu", "selu", "relu6", "softplus", "swish", "linear"),
        KotlinDlModel.read(fixture("mlp-activations")).spec().denseLayers().stream()
            .map(d -> d.activation().text())
            .toList());
    assertEquals(
        List.of(
            "input_1",
            "flatten_2",
            "dense_3",
            "batchnorm_4",
            "activationlayer_5",
            "dropout_6",
            "dense_7"),
        bn.layers().stream().map(KotlinDlModel.Mapping::name).toList());
    assertEquals(
        Map.of(
            "dense_0_kernel",
            784 * 16,
            "dense_0_bias",
            16,
            "dense_0_bn_gamma",
            16,
            "dense_0_bn_beta",
            16,
            "dense_0_bn_moving_mean",
            16,
            "dense_0_bn_moving_variance",
            16,
            "dense_1_kernel",
            16 * 10,
            "dense_1_bias",
            10),
        sizes(bn.weights()));
  }

  private static List<String> texts(ModelSpec spec) {
    return spec.layers().stream().map(LayerSpec::text).toList();
  }

  private static Map<String, Integer> sizes(StartingWeights weights) {
    return weights.values().entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().length));
  }

  /** A copy of a fixture to spoil. */
  private Path copy(String name) throws IOException {
    Path target = dir.resolve(name);
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(fixture(name))) {
      for (Path f : files.toList()) {
        Files.copy(f, target.resolve(f.getFileName()));
      }
    }
    return target;
  }

  @Test
  void aLayerDropwiseHasNoneOfIsRefusedWithItsNameAndClass() throws Exception {
    Path model = copy("mlp");
    Path config = model.resolve(KotlinDlModel.CONFIG);
    Files.writeString(
        config,
        Files.readString(config)
            .replace("\"class_name\" : \"Dropout\"", "\"class_name\" : \"GaussianNoise\""));
    IOException e = assertThrows(IOException.class, () -> KotlinDlModel.read(model));
    assertTrue(
        e.getMessage()
            .startsWith(
                "layer 'dropout_4' (GaussianNoise) of "
                    + config
                    + " cannot be imported: "
                    + "dropwise imports the layer classes InputLayer, Dense, Conv2D"),
        e.getMessage());
  }

  @Test
  void weightsThatDoNotFitAreRefusedWithTheLayerAndBothSizes() throws Exception {
    Path model = copy("mlp");
    Path kernel = model.resolve("dense_3_dense_kernel.txt");
    String[] values = Files.readString(kernel).trim().split(" ");
    Files.writeString(kernel, String.join(" ", List.of(values).subList(0, 784 * 16)));
    IOException e = assertThrows(IOException.class, () -> KotlinDlModel.read(model));
    assertEquals(
        "the weights of layer 'dense_3' do not fit: "
            + kernel
            + " holds 12544 values, the layer's "
            + "[784, 32] needs 25088",
        e.getMessage());
  }

  @Test
  void conventionsDropwiseDoesNotShareAreRefusedNotGuessed() throws Exception {
    Path cnn = copy("cnn");
    Path config = cnn.resolve(KotlinDlModel.CONFIG);
    String original = Files.readString(config);
    Files.writeString(
        config, original.replaceFirst("\"padding\" : \"same\"", "\"padding\" : \"valid\""));
    IOException valid = assertThrows(IOException.class, () -> KotlinDlModel.read(cnn));
    assertTrue(
        valid.getMessage().contains("layer 'conv2d_2' (Conv2D)")
            && valid.getMessage().contains("pads 'same'"),
        valid.getMessage());
    // Keras's Dense on a feature map acts per position; dropwise's would flatten: refused.
    Files.writeString(
        config,
        original.replace(
            "{\"class_name\" : \"Flatten\", \"config\" : {\"data_format\" : "
                + "\"channels_last\", \"dtype\" : \"float32\", \"name\" : \"flatten_6\", \"trainable\" : false}}, ",
            ""));
    IOException map = assertThrows(IOException.class, () -> KotlinDlModel.read(cnn));
    assertTrue(
        map.getMessage().contains("layer 'dense_7' (Dense)")
            && map.getMessage().contains("receives a feature map"),
        map.getMessage());
    Path bn = copy("mlp-bn");
    Path bnConfig = bn.resolve(KotlinDlModel.CONFIG);
    Files.writeString(
        bnConfig,
        Files.readString(bnConfig)
            .replaceFirst("\"activation\" : \"linear\"", "\"activation\" : \"relu\""));
    IOException afterRelu = assertThrows(IOException.class, () -> KotlinDlModel.read(bn));
    assertTrue(
        afterRelu.getMessage().contains("layer 'batchnorm_4' (BatchNormalization)"),
        afterRelu.getMessage());
  }

  @Test
  void aDirectoryInAnotherFormatIsToldWhichFormatToSave() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("graph-format"));
    IOException e = assertThrows(IOException.class, () -> KotlinDlModel.read(empty));
    assertTrue(
        e.getMessage().contains("SavingFormat.JSON_CONFIG_CUSTOM_VARIABLES"), e.getMessage());
  }

  @Test
  void trainingOnStartsFromTheImportedWeightsWhateverTheDropout() throws Exception {
    KotlinDlModel model = KotlinDlModel.read(fixture("mlp"));
    Reference reference = Reference.of(fixture("mlp"));
    Dataset test = TestSupport.embedded().test().head(reference.labels().length);
    // Y-Drop in place of the imported Dropout: a different training graph over the same variables.
    ModelSpec ydrop =
        new ModelSpec(
            model.spec().input(),
            Architecture.placeDropout(
                model.spec().withoutDropout().layers(),
                "test",
                DropoutSpec.parse("ydrop"),
                DropoutSpec.parse("none")));
    assertEquals("ydrop", ydrop.dropoutText());
    try (ModelSession session =
        new ModelSession(
            ydrop, model.weights(), new OptimizerSpec.Momentum(0.01f, 0.9f), RunSeeds.from(1), 0)) {
      Map<String, float[]> values = session.variableValues();
      assertEquals(model.weights().values().keySet(), values.keySet());
      values.forEach((k, v) -> assertArrayEquals(model.weights().values().get(k), v, k));
      double worst = worstRelativeError(reference, session.logits(test, test.size(), false, 0));
      assertTrue(
          worst < TOLERANCE,
          "the training graph, dropout off, computes KotlinDL's logits: " + worst);
    }
    // Weights of another network are refused, naming what does not fit.
    ModelSpec wider =
        ModelSpec.mlp(
            784,
            List.of(64),
            dev.dropwise.network.Activation.RELU,
            dev.dropwise.network.Initializer.HE_UNIFORM,
            DropoutSpec.parse("none"),
            10);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ModelSession(
                        wider,
                        model.weights(),
                        new OptimizerSpec.Momentum(0.01f, 0.9f),
                        RunSeeds.from(1),
                        0)
                    .close());
    assertTrue(
        e.getMessage()
            .contains(
                "dense_0_kernel holds 25088 values, the model's dense_0_kernel is [784, 64] = 50176"),
        e.getMessage());
    assertFalse(model.weights().digest().isEmpty());
  }
}
