package dev.dropwise.cli;

import dev.dropwise.data.Dataset;
import dev.dropwise.data.ImageClassificationData;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.train.Evaluation;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Json;
import dev.dropwise.util.TextTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Train the same network with several dropout methods and seeds; print test accuracy and loss (dropout off) as a table.")
final class CompareCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();
  @Mixin ModelOptions model = new ModelOptions();
  @Mixin TrainOptions training = new TrainOptions();

  @Option(names = "--methods", split = ";", defaultValue = "none;standard:p=0.5;sector:n=8,p=0.5",
      converter = DropoutSpecConverter.class, description = "';'-separated dropout specs. Default: ${DEFAULT-VALUE}")
  List<DropoutSpec> methods;

  @Option(names = "--seeds", split = ",", defaultValue = "1", description = "Run seeds; each method is trained once per seed. Default: ${DEFAULT-VALUE}")
  List<Long> seeds;

  @Option(names = "--out", defaultValue = "out/compare", description = "Where results.csv and results.json go. Default: ${DEFAULT-VALUE}")
  Path out;

  /** One trained model's results. */
  record Result(String method, long seed, double testLoss, double testAccuracy, int epochs, double seconds) {}

  @Override
  public Integer call() throws Exception {
    data.check();
    training.config(null, false);
    ImageClassificationData loaded = data.load();
    List<ModelSpec> specs = new ArrayList<>();
    for (DropoutSpec m : methods) {
      specs.add(model.build(loaded.train().featureCount(), loaded.train().classCount(), m));
    }
    System.out.println("data: " + loaded.description());
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < methods.size(); i++) {
      for (long seed : seeds) {
        training.seed = seed;
        TrainConfig config = training.config(null, false);
        Dataset.Split split = training.split(loaded, config);
        String label = methods.get(i).text() + " seed " + seed;
        long start = System.nanoTime();
        try (TrainingRun run = Trainer.train(specs.get(i), split.train(), split.validation(), config,
            ConsoleProgress.create(System.out, label))) {
          Evaluation test = run.model().evaluate(loaded.test());
          results.add(new Result(methods.get(i).text(), seed, test.loss(), test.accuracy(),
              run.history().size(), (System.nanoTime() - start) / 1e9));
        }
      }
    }
    System.out.println();
    System.out.println(specs.get(0).widths() + ", " + training.epochs + (training.epochs == 1 ? " epoch" : " epochs") + ", batch " + training.batchSize
        + ", seeds " + seeds + "; test set with dropout off:");
    System.out.print(table(results));
    StringBuilder csv = new StringBuilder("method,seed,test_loss,test_accuracy,epochs,seconds\n");
    for (Result r : results) {
      csv.append('"').append(r.method()).append("\",").append(r.seed()).append(',').append(r.testLoss()).append(',')
          .append(r.testAccuracy()).append(',').append(r.epochs()).append(',').append(r.seconds()).append('\n');
    }
    AtomicFiles.write(out.resolve("results.csv"), csv.toString());
    AtomicFiles.write(out.resolve("results.json"), Json.MAPPER.writeValueAsBytes(results));
    System.out.println("results: " + out.resolve("results.csv") + ", " + out.resolve("results.json"));
    return 0;
  }

  private TextTable table(List<Result> results) {
    TextTable table = new TextTable("method", "test accuracy", "test loss", "epochs", "seconds/run");
    for (DropoutSpec m : methods) {
      List<Result> mine = results.stream().filter(r -> r.method().equals(m.text())).toList();
      table.row(m.text(), meanStd(mine.stream().mapToDouble(Result::testAccuracy).toArray()),
          meanStd(mine.stream().mapToDouble(Result::testLoss).toArray()),
          mine.get(0).epochs(),
          String.format(Locale.ROOT, "%.1f", mine.stream().mapToDouble(Result::seconds).average().orElse(0)));
    }
    return table;
  }

  /** {@code mean ± sample std}, or just the value for one seed. */
  static String meanStd(double[] values) {
    double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
    if (values.length < 2) {
      return String.format(Locale.ROOT, "%.4f", mean);
    }
    double ss = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
    return String.format(Locale.ROOT, "%.4f ± %.4f", mean, Math.sqrt(ss / (values.length - 1)));
  }
}
