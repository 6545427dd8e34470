package dev.dropwise.report;

import static dev.dropwise.report.SmallDataPlan.ROBUSTNESS_METHODS;
import static dev.dropwise.report.SmallDataPlan.VALIDATION;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.dropwise.analysis.Explainer;
import dev.dropwise.analysis.Explanation;
import dev.dropwise.analysis.Robustness;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.Target;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.report.SmallDataPlan.Budget;
import dev.dropwise.train.ProgressListener;
import dev.dropwise.train.RunSeeds;
import dev.dropwise.train.TrainConfig;
import dev.dropwise.train.Trainer;
import dev.dropwise.train.TrainingRun;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.FileNames;
import dev.dropwise.util.Json;
import dev.dropwise.util.OutputDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/** The small-data section's robustness curves (Y-Drop Fig. 3 with little data), kept and drawn. */
final class SmallDataRobustness {
  private SmallDataRobustness() {}

  /**
   * Y-Drop's Fig. 3 with little data: one model per method (seed 1) at each of the budget's
   * robustness sizes, units removed at random and most important (by conductance) first. The curves
   * are kept in {@code dir}, so a rerun trains nothing; {@code partial}: only the kept ones.
   */
  static String section(
      ClassificationData fashion,
      Budget budget,
      TrainConfig config,
      Path dir,
      Path report,
      Path images,
      ChartWriter charts,
      BiFunction<String, Long, ProgressListener> progress,
      boolean partial)
      throws IOException {
    StringBuilder md =
        new StringBuilder(
                "\n### Robustness with little data (Y-Drop Fig. 3)\n\nOne model per method ")
            .append("(seed 1) on each subset, trained as above; test accuracy on ")
            .append(budget.robustnessExamples())
            .append(
                " test images while a fraction of the hidden units is removed at inference, at random (mean ± std over ")
            .append(budget.repeats())
            .append(
                " draws) and most important first (mean |conductance|, 16 steps, on the validation split).\n");
    for (int examples : budget.robustnessSizes()) {
      Map<String, List<Robustness.Point>> curves = new LinkedHashMap<>();
      ClassificationData data = SmallDataStudy.subset(fashion, examples, 1);
      Dataset.Split split = data.train().split(VALIDATION, RunSeeds.from(1).shuffle());
      for (String method : ROBUSTNESS_METHODS) {
        Path kept = dir.resolve(examples + "-" + FileNames.slug(method) + ".json");
        if (Files.isRegularFile(kept)) {
          curves.put(
              method,
              Json.MAPPER.readValue(kept.toFile(), new TypeReference<List<Robustness.Point>>() {}));
          continue;
        }
        if (partial) {
          continue;
        }
        ModelSpec spec = ReproductionReport.mlp(data, budget.hidden(), method);
        try (TrainingRun run =
            Trainer.train(
                spec, split.train(), split.validation(), config, progress.apply(method, 1L))) {
          var values = run.model().variableValues();
          Explanation explained =
              Explainer.explanation(
                  spec,
                  values::get,
                  new ImportanceSpec.Conductance(16, Target.PREDICTED),
                  split.validation().head(budget.robustnessExamples()));
          List<Robustness.Point> curve =
              Robustness.curve(
                  spec,
                  values::get,
                  explained.unitMeans(),
                  data.test().head(budget.robustnessExamples()),
                  Robustness.fractions(),
                  budget.repeats(),
                  1);
          OutputDirectories.claim("runs directory", dir);
          AtomicFiles.write(kept, Json.MAPPER.writeValueAsBytes(curve));
          curves.put(method, curve);
        }
      }
      if (curves.isEmpty()) {
        md.append(
            String.format(Locale.ROOT, "%n**%,d training images**: not measured yet.%n", examples));
        continue;
      }
      md.append(String.format(Locale.ROOT, "%n**%,d training images**%n%n", examples))
          .append(ReproductionPage.robustnessTable(curves));
      md.append(
          ReproductionPage.image(
              charts.robustness(
                  curves,
                  String.format(Locale.ROOT, "robustness, %,d training images", examples),
                  images,
                  "small-data-robustness-" + examples),
              report,
              "robustness with " + examples + " images"));
    }
    return md.toString();
  }
}
