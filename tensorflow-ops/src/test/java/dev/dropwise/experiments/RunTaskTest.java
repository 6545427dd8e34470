package dev.dropwise.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.data.DataSpec;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.network.Initializer;
import dev.dropwise.train.OptimizerSpec;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A task travels to another machine as JSON and comes back equal: every registered method, MLPs and
 * CNNs, every optimiser.
 */
class RunTaskTest {

  @Test
  void everyRegisteredMethodTravelsInATaskAndComesBackEqual() {
    for (var method : DropoutMethods.all()) {
      DropoutSpec dropout = method.create(Settings.of(Map.of(), method.name()));
      ModelSpec mlp;
      try {
        mlp =
            Architecture.parse("64,32")
                .build(
                    FeatureShape.flat(784),
                    10,
                    Activation.RELU,
                    Initializer.HE_UNIFORM,
                    dropout,
                    new NoDropout());
      } catch (IllegalArgumentException e) {
        continue; // a method for feature maps only: the CNN below carries it
      }
      RunTask task =
          new RunTask(
              method.name(), mlp, 3, TrainConfig.defaults().withEpochs(2).withThreads(1), 0.1, 500);
      assertEquals(task, RunTask.fromJson(task.toJson()), method.name());
    }
    ModelSpec cnn =
        Architecture.parse("conv:8x3,bn,pool:2,dense:16")
            .build(
                FeatureShape.map(28, 28, 1),
                10,
                Activation.RELU,
                Initializer.HE_UNIFORM,
                DropoutSpec.parse("standard:p=0.3"),
                DropoutSpec.parse("dropblock:p=0.2,block=5"));
    for (OptimizerSpec optimizer :
        List.of(
            new OptimizerSpec.Sgd(0.05f),
            new OptimizerSpec.Momentum(0.01f, 0.8f),
            new OptimizerSpec.Adam(1e-3f))) {
      RunTask task =
          new RunTask(
              "cnn",
              cnn,
              7,
              TrainConfig.defaults().withOptimizer(optimizer).withPatience(2),
              0.2,
              null);
      assertEquals(task, RunTask.fromJson(task.toJson()), optimizer.text());
    }
  }

  @Test
  void aDataRequestTravelsAndComesBackEqual() {
    DataSpec spec =
        new DataSpec(
            "csv:/data/wine.csv,label=0",
            "csv:/data/test.csv",
            null,
            4,
            Preprocessing.Scale.UNIT,
            List.of(8, 8, 1));
    assertEquals(spec, RunTask.dataFromJson(RunTask.dataJson(spec)));
    assertEquals(
        DataSpec.of("embedded"), RunTask.dataFromJson(RunTask.dataJson(DataSpec.of("embedded"))));
  }
}
