package dev.dropwise.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.testing.TestSupport;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Today's numbers, pinned: refactoring the core must give the same seed the same losses and
 * weights, bit for bit (784-64-48-10, 900 training examples, 2 epochs, seed 1). The values were
 * recorded on the commit that added this test, before the open-core refactoring (PFID and
 * lrp-official, the methods that read scores kept from the previous step, on 3b0c828); a change
 * that moves them must say exactly why in its message.
 */
class ResultsPinTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "standard:p=0.5    | 2.400533652835422  | 2.1769694073994956 | -97.05062215699331",
    "sector:n=8,p=0.5  | 2.387822394900852  | 2.1780682309468586 | -100.97124626240384",
    "lrp               | 2.3424995528327095 | 2.1000690725114612 | -75.90412286135597",
    "ydrop             | 2.3193388186560737 | 2.1339928107791475 | -59.51881754202486",
    "pfid              | 2.383311795128716  | 2.162154572804769  | -108.42582738193437",
    "pfid:update=epoch | 2.3643623140123156 | 2.1467383342319066 | -87.62910772685223",
    "lrp-official      | 2.3104888725280763 | 2.19446023411221   | -20.820846796457317",
  })
  void theSameSeedGivesTodaysLossesAndWeights(String method, double epoch1, double epoch2, double kernelSum)
      throws IOException {
    try (TrainingRun run = ImportanceGuidedTrainingTest.train(method, 2, TrainConfig.defaults())) {
      List<Double> losses = TrainerTest.losses(run.history());
      double sum = 0;
      for (float w : run.model().weights().get(0)) {
        sum += w;
      }
      assertEquals(epoch1, losses.get(0), 0.0, "epoch 1 training loss");
      assertEquals(epoch2, losses.get(1), 0.0, "epoch 2 training loss");
      assertEquals(kernelSum, sum, 0.0, "sum of the first kernel's weights");
    }
  }

  /**
   * BatchNorm (batch moments and moving averages) and DropConnect (the next kernel masked), pinned
   * the same way on the commit before the model graph was split by role: 600 examples, 2 epochs.
   */
  @Test
  void batchNormAndDropConnectGiveTodaysLossesAndWeights() throws IOException {
    ModelSpec dense = new ModelSpec(784, List.of(LayerSpec.parse("dense:64"), LayerSpec.parse("bn"),
        dropout("dropconnect:p=0.3"), LayerSpec.parse("dense:10:linear:glorot-uniform")));
    assertPinned(dense, 2.441100240636755, 1.2475033936677156, 138.8574671682976);
  }

  /** A convolutional model with BatchNorm, sector-wise dropout on channels and DropBlock, pinned alike. */
  @Test
  void aConvolutionalModelGivesTodaysLossesAndWeights() throws IOException {
    ModelSpec conv = new ModelSpec(FeatureShape.map(28, 28, 1), List.of(LayerSpec.parse("conv:8x3"),
        LayerSpec.parse("bn"), dropout("sector:n=4,p=0.5"), LayerSpec.parse("pool:2"), dropout("dropblock"),
        LayerSpec.parse("dense:10:linear:glorot-uniform")));
    assertPinned(conv, 2.4065487190529153, 1.2761147181193033, 16.972475487479983);
  }

  private static LayerSpec dropout(String text) {
    return new LayerSpec.Dropout(DropoutSpec.parse(text));
  }

  /** Two epochs on 600 examples: the two training losses and the sum of every variable (moving averages too). */
  private static void assertPinned(ModelSpec spec, double epoch1, double epoch2, double variableSum) throws IOException {
    TrainConfig config = TrainConfig.defaults().withEpochs(2);
    Dataset.Split data = TestSupport.embedded().train().head(600).split(0.1, config.seeds().shuffle());
    try (TrainingRun run = Trainer.train(spec, data.train(), data.validation(), config, ProgressListener.NONE)) {
      double sum = 0;
      for (float[] w : run.model().weights()) {
        for (float v : w) {
          sum += v;
        }
      }
      List<Double> losses = TrainerTest.losses(run.history());
      assertEquals(epoch1, losses.get(0), 0.0, "epoch 1 training loss");
      assertEquals(epoch2, losses.get(1), 0.0, "epoch 2 training loss");
      assertEquals(variableSum, sum, 0.0, "sum of every variable");
    }
  }
}
