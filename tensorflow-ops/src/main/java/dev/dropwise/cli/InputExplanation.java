package dev.dropwise.cli;

import dev.dropwise.analysis.ExplainedClass;
import dev.dropwise.analysis.InputExplainer;
import dev.dropwise.analysis.RelevanceMaps;
import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Dataset;
import dev.dropwise.data.Npy;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.export.ServingModel;
import dev.dropwise.importance.InputAttribution;
import dev.dropwise.importance.InputSpace;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.OutputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code explain --input}: the relevance of every input feature of an exported model on each
 * example, written as {@code X.input.npy} (examples x features), with a CSV and heatmaps when
 * asked.
 */
final class InputExplanation {
  /**
   * The --input options, read before any work: the attribution, the class explained (as written)
   * and integrated gradients' baseline (one raw example, or null).
   */
  record Options(InputAttribution attribution, String target, float[] baseline) {}

  private final DataOption data;
  private final Path modelDir;
  private final String split;
  private final Integer limit;
  private final boolean csv;
  private final PlotsOption plots;

  InputExplanation(
      DataOption data, Path modelDir, String split, Integer limit, boolean csv, PlotsOption plots) {
    this.data = data;
    this.modelDir = modelDir;
    this.split = split;
    this.limit = limit;
    this.csv = csv;
    this.plots = plots;
  }

  /** Explains the examples and writes {@code base.npy} (and {@code base.csv}); returns 0. */
  int write(Options options, Path base) throws IOException {
    String name = base.getFileName().toString();
    Path npy = base.resolveSibling(name + ".npy");
    Path table = base.resolveSibling(name + ".csv");
    OutputFiles.check("--out", npy, Npy.OWN);
    if (csv) {
      OutputFiles.check("--out", table, ExplainCommand.ownCsv(FEATURE));
    }
    try (ServingModel serving = ServingModel.load(modelDir)) {
      ClassificationData loaded = data.loadFor(serving, modelDir);
      Preprocessing preprocessing = serving.preprocessing();
      Dataset raw = split.equals("test") ? loaded.test() : loaded.train();
      Dataset examples = preprocessing.apply(limit == null ? raw : raw.head(limit));
      int features = examples.featureCount();
      ExplainedClass explained =
          ExplainedClass.parse(
              "--target", options.target(), serving.classNames(), examples.classCount());
      InputSpace space = InputExplainer.spaceOf(preprocessing, preprocessing.apply(loaded.train()));
      if (options.baseline() != null) {
        if (options.baseline().length != features) {
          throw new IllegalArgumentException(
              "--baseline holds "
                  + options.baseline().length
                  + " values; the model takes one example of "
                  + features
                  + " features");
        }
        Dataset reference =
            new Dataset(options.baseline(), new int[] {0}, features, examples.classCount());
        space = space.withBaseline(preprocessing.apply(reference).features());
      }
      float[] relevance =
          InputExplainer.explain(
              serving.network(),
              serving::variable,
              options.attribution(),
              space,
              examples,
              explained);
      Npy.write(npy, relevance, examples.size(), features);
      System.out.println(
          npy
              + ": "
              + examples.size()
              + " x "
              + features
              + " "
              + options.attribution().text()
              + " relevance of the "
              + explained.text(loaded.classNames()));
      if (csv) {
        AtomicFiles.write(table, ExplainCommand.toCsv(relevance, features, FEATURE));
        System.out.println(table);
      }
      List<String> names = loaded.classNames();
      List<String> captions =
          plots.dir == null
              ? List.of()
              : InputExplainer.captions(
                  examples.labels(),
                  InputExplainer.classes(serving.network(), serving::variable, examples, explained),
                  names);
      if (plots.dir != null) {
        float[] inputs = (limit == null ? raw : raw.head(limit)).features();
        plots.inputRelevance(
            new RelevanceMaps(
                options.attribution().text(), loaded.shape(), inputs, relevance, captions),
            options.attribution().text() + " relevance of the " + explained.text(names));
      }
    }
    return 0;
  }

  /** The CSV's columns, {@code input_relevance_0, ...}: a header no data file of the user's has. */
  private static final String FEATURE = "input_relevance_";
}
