package dev.dropwise.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.PfidDropout;
import dev.dropwise.network.Network;
import dev.dropwise.train.EpochRecord;
import dev.dropwise.train.ImportanceGuidedTrainingTest;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Settings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * An importance measure a user registers works where a built-in one does: its text, PFID, training.
 */
class ImportanceMeasureOfYourOwnTest {
  /** Each unit's squared activation. */
  record SquaredActivation(float scale) implements ImportanceSpec {
    @Override
    public List<Operand<TFloat32>> scores(
        Ops tf, Network network, Operand<TFloat32> x, Operand<TInt32> labels) {
      return network.forward(tf, x).hidden().stream()
          .map(h -> (Operand<TFloat32>) tf.math.mul(tf.constant(scale), tf.math.square(h)))
          .toList();
    }

    @Override
    public String name() {
      return "squared-activation";
    }

    @Override
    public Map<String, Object> settings() {
      return Map.of("scale", scale);
    }
  }

  static class SquaredActivationMeasure implements ImportanceMeasure {
    @Override
    public String name() {
      return "squared-activation";
    }

    @Override
    public String summary() {
      return "each unit's squared activation";
    }

    @Override
    public List<Registry.Parameter> parameters() {
      return List.of(new Registry.Parameter("scale", "1", "a factor, > 0"));
    }

    @Override
    public ImportanceSpec create(Settings settings) {
      return new SquaredActivation((float) settings.number("scale", "1"));
    }
  }

  @Test
  void aRegisteredMeasureIsReadFromTextAndDrivesPfid() throws IOException {
    ImportanceMeasures.register(new SquaredActivationMeasure());
    assertEquals(new SquaredActivation(2f), ImportanceSpec.parse("squared-activation:scale=2"));
    assertEquals(
        "squared-activation:scale=2", ImportanceSpec.parse("squared-activation:scale=2").text());
    DropoutSpec pfid = DropoutSpec.parse("pfid:importance=squared-activation");
    assertEquals(new SquaredActivation(1f), ((PfidDropout) pfid).importance());
    try (TrainingRun run =
        ImportanceGuidedTrainingTest.train(
            "pfid:importance=squared-activation", 2, TrainConfig.defaults())) {
      EpochRecord second = run.history().epochs().get(1);
      for (double rate : second.dropRates()) {
        assertEquals(
            0.5, rate, 0.02, "PFID's rates are calibrated to a mean of 0.5, whatever the measure");
      }
    }
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> ImportanceSpec.parse("squared-activation:steps=3"));
    assertTrue(
        unknown
            .getMessage()
            .contains(
                "unknown parameter 'steps' in importance 'squared-activation:steps=3'; allowed: scale"),
        unknown.getMessage());
    IllegalArgumentException taken =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ImportanceMeasures.register(
                    new SquaredActivationMeasure() {
                      @Override
                      public String name() {
                        return "gradient";
                      }
                    }));
    assertEquals(
        "importance name 'gradient' is taken by a built-in importance; choose another",
        taken.getMessage());
  }
}
