package dev.dropwise.cli;

import dev.dropwise.analysis.FaithfulnessEvaluation;
import dev.dropwise.analysis.InputExplainer;
import dev.dropwise.analysis.UnitFlipping;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.export.ServingModel;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.importance.InputAttribution;
import dev.dropwise.importance.InputAttributions;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.util.OutputDirectories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "faithfulness",
    mixinStandardHelpOptions = true,
    description =
        "How faithful each input attribution is to an exported model: pixel flipping (features "
            + "replaced by the baseline, most relevant first and least relevant first) with the area "
            + "over each curve (AOPC) and their gap, beside a random ranking; and the "
            + "model-randomisation check (the rank correlation with the explanations of the model "
            + "with its layers re-initialised from the top down, which must fall); and unit flipping "
            + "for measures of hidden units.")
final class FaithfulnessCommand implements Callable<Integer> {
  @Mixin DataOption data = new DataOption();

  @Mixin ModelDirOption model = new ModelDirOption();

  @Option(
      names = "--attributions",
      paramLabel = "A;B;...",
      description =
          "Input attributions, ';'-separated (explain --input's). Default: "
              + DEFAULT_ATTRIBUTIONS
              + ", and grad-cam for a model with feature maps")
  String attributions;

  static final String DEFAULT_ATTRIBUTIONS =
      "lrp;lrp:composite=epsilon-plus-flat;gradient;gradient-x-input;integrated-gradients;smoothgrad";

  @Option(
      names = "--units",
      paramLabel = "M;N;...",
      defaultValue = DEFAULT_UNITS,
      description =
          "Importance measures of hidden units for unit flipping ('none': skip it). Default: ${DEFAULT-VALUE}")
  String units;

  static final String DEFAULT_UNITS =
      "conductance;lrp-eps;gradient-x-activation;internal-influence;grad-cam;activation";

  @Option(
      names = "--steps",
      defaultValue = "20",
      description =
          "Points on each curve after the first: a share 1/steps of the features replaced each. Default: ${DEFAULT-VALUE}")
  int steps;

  @Option(
      names = "--limit",
      defaultValue = "200",
      description = "The first N test examples. Default: ${DEFAULT-VALUE}")
  int limit;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "The random ranking's and the fresh weights' seed. Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(
      names = "--out",
      defaultValue = "out/faithfulness",
      description =
          "Directory for summary.csv, curves.csv and randomisation.csv; new, empty or dropwise's own. Default: ${DEFAULT-VALUE}")
  Path out;

  @Mixin PlotsOption plots = new PlotsOption();

  /** Whether LRP cannot pass through {@code network}: its gate rules do not cover zoneout. */
  static boolean lrpUndefined(ModelSpec network) {
    return network.layers().stream()
        .anyMatch(l -> l instanceof LayerSpec.Recurrent r && r.dropout().zoneout() > 0);
  }

  @Override
  public Integer call() throws Exception {
    data.check();
    model.check();
    model.checkMetadata("faithfulness");
    List<InputAttribution> measured = new ArrayList<>();
    String asked = attributions == null ? DEFAULT_ATTRIBUTIONS : attributions;
    for (String text : asked.split(";", -1)) {
      if (text.isBlank()) {
        throw new IllegalArgumentException(
            "--attributions " + asked + " has an empty entry; give attributions separated by ';'");
      }
      try {
        measured.add(InputAttributions.parse(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--attributions " + text + ": " + e.getMessage());
      }
    }
    List<ImportanceSpec> unitMeasures = new ArrayList<>();
    if (!units.trim().equals("none")) {
      for (String text : units.split(";", -1)) {
        if (text.isBlank()) {
          throw new IllegalArgumentException(
              "--units " + units + " has an empty entry; give measures separated by ';', or none");
        }
        try {
          unitMeasures.add(ImportanceSpec.parse(text));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--units " + text + ": " + e.getMessage());
        }
      }
    }
    if (limit < 1) {
      throw new IllegalArgumentException("--limit " + limit + " is not allowed: must be >= 1");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("--steps " + steps + " is not allowed: must be >= 1");
    }
    OutputDirectories.check("--out", out);
    data.checkOutside("--out", out);
    plots.check();
    List<FaithfulnessEvaluation.Result> results;
    List<UnitFlipping.Result> unitResults;
    try (ServingModel serving = ServingModel.load(model.dir)) {
      ClassificationData loaded = data.loadFor(serving, model.dir);
      Preprocessing preprocessing = serving.preprocessing();
      Dataset test = preprocessing.apply(loaded.test().head(limit));
      if (attributions == null
          && serving.network().outputShapes().stream().anyMatch(FeatureShape::map)) {
        measured.add(InputAttributions.parse("grad-cam"));
      }
      if (lrpUndefined(serving.network())
          && attributions == null
          && measured.removeIf(a -> a.name().startsWith("lrp"))) {
        // LRP to the input passes through the recurrent layer, whose gate rules do not cover
        // zoneout: by default, leave it out and say so.
        System.out.println(
            "faithfulness: LRP to the input is left out: its gate rules do not cover a "
                + "recurrent layer's zoneout");
      }
      if (steps > test.featureCount()) {
        throw new IllegalArgumentException(
            "--steps "
                + steps
                + " is not allowed: at most the examples' "
                + test.featureCount()
                + " features");
      }
      results =
          FaithfulnessEvaluation.evaluate(
              serving.network(),
              serving::variable,
              measured,
              InputExplainer.spaceOf(preprocessing, preprocessing.apply(loaded.train())),
              test,
              steps,
              seed);
      unitResults =
          unitMeasures.isEmpty()
              ? List.of()
              : UnitFlipping.evaluate(
                  serving.network(), serving::variable, unitMeasures, test, seed);
      System.out.println(
          "faithfulness of "
              + measured.size()
              + " attributions on "
              + test.size()
              + " test examples, "
              + steps
              + " steps, each example's predicted class:");
    }
    FaithfulnessOutput.print(results, unitResults);
    FaithfulnessOutput.write(results, unitResults, out);
    plots.faithfulness(results, unitResults, "faithfulness: " + model.dir.getFileName());
    return 0;
  }
}
