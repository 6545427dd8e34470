package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.export.ServingModel;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate an exported SavedModel on the test set through its serving_default signature.")
final class EvalCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();

  @Mixin ModelDirOption model = new ModelDirOption();

  @Override
  public Integer call() throws Exception {
    data.check();
    model.check();
    try (ServingModel serving = ServingModel.load(model.dir)) {
      ClassificationData loaded = data.loadFor(serving, model.dir);
      Dataset test = loaded.test();
      ServingModel.Prediction p = serving.predict(test.features(), test.size());
      double loss = 0;
      int correct = 0;
      for (int i = 0; i < test.size(); i++) {
        int best = 0;
        for (int c = 1; c < p.classes(); c++) {
          if (p.logits()[i * p.classes() + c] > p.logits()[i * p.classes() + best]) {
            best = c;
          }
        }
        correct += best == test.labels()[i] ? 1 : 0;
        loss -= Math.log(Math.max(p.probabilities()[i * p.classes() + test.labels()[i]], 1e-30));
      }
      System.out.println("data: " + loaded.description());
      System.out.printf(
          Locale.ROOT,
          "test: loss %.4f, accuracy %.4f (%d examples)%n",
          loss / test.size(),
          (double) correct / test.size(),
          test.size());
    }
    return 0;
  }
}
