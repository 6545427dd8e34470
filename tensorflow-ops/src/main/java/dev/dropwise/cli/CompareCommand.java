package dev.dropwise.cli;

import dev.dropwise.data.ImageClassificationData;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.ConsoleProgress;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  @Mixin PlotsOption plots = new PlotsOption();

  @Option(names = "--methods", split = ";", defaultValue = "none;standard:p=0.5;sector:n=8,p=0.5",
      converter = DropoutSpecConverter.class, description = "';'-separated dropout specs. Default: ${DEFAULT-VALUE}")
  List<DropoutSpec> methods;

  @Option(names = "--seeds", split = ",", defaultValue = "1", description = "Run seeds; each method is trained once per seed. Default: ${DEFAULT-VALUE}")
  List<Long> seeds;

  @Option(names = "--out", defaultValue = "out/compare", description = "Where results.csv and results.json go. Default: ${DEFAULT-VALUE}")
  Path out;

  @Override
  public Integer call() throws Exception {
    data.check();
    TrainConfig config = training.config(null, false);
    plots.check();
    ImageClassificationData loaded = data.load();
    Map<String, ModelSpec> specs = new LinkedHashMap<>();
    for (DropoutSpec m : methods) {
      specs.put(m.text(), model.build(loaded.train().featureCount(), loaded.train().classCount(), m));
    }
    System.out.println("data: " + loaded.description());
    List<Comparison.Run> runs = Comparison.run(loaded, specs, seeds, config, training.validationFraction,
        training.limit, (method, seed) -> ConsoleProgress.create(System.out, method + " seed " + seed));
    List<Comparison.Summary> summaries = Comparison.summarize(runs);
    String title = specs.values().iterator().next().widths() + ", " + training.epochs
        + (training.epochs == 1 ? " epoch" : " epochs") + ", batch " + training.batchSize + ", seeds " + seeds;
    System.out.println();
    System.out.println(title + "; test set with dropout off:");
    System.out.print(Comparison.table(summaries));
    AtomicFiles.write(out.resolve("results.csv"), Comparison.csv(runs));
    AtomicFiles.write(out.resolve("results.json"), Json.MAPPER.writeValueAsBytes(
        runs.stream().map(r -> Map.of("method", r.method(), "seed", r.seed(), "testLoss", r.testLoss(),
            "testAccuracy", r.testAccuracy(), "epochs", r.epochs(), "seconds", r.seconds())).toList()));
    System.out.println("results: " + out.resolve("results.csv") + ", " + out.resolve("results.json"));
    plots.comparison(summaries, title);
    return 0;
  }
}
