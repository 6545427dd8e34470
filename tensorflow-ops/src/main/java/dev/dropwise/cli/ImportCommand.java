package dev.dropwise.cli;

import dev.dropwise.data.ClassificationData;
import dev.dropwise.data.Preprocessing;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.interop.KotlinDlModel;
import dev.dropwise.util.TextTable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Read a model another library saved and write it as a dropwise model (a SavedModel with "
            + "serving_default and dropwise's metadata), which eval, predict, explain, train --init-from and the DSL take.")
final class ImportCommand implements Callable<Integer> {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "kotlindl",
      description =
          "The library that saved the model: kotlindl (SavingFormat.JSON_CONFIG_CUSTOM_VARIABLES).")
  String from;

  @Parameters(
      index = "0",
      paramLabel = "DIR",
      description = "The directory the model was saved to.")
  Path dir;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where the dropwise model goes.")
  Path out;

  @Option(
      names = "--scale",
      paramLabel = "none|unit",
      defaultValue = "none",
      description =
          "What the model's serving graph does to raw inputs first: none (they arrive as the model was "
              + "trained on them) or unit (8-bit pixels divided by 255, as KotlinDL's own image data loaders do). "
              + "Default: ${DEFAULT-VALUE}")
  String scale;

  @Override
  public Integer call() throws Exception {
    if (!from.toLowerCase(Locale.ROOT).equals("kotlindl")) {
      throw new IllegalArgumentException(
          "--from " + from + " is not supported: dropwise imports kotlindl");
    }
    Preprocessing preprocessing =
        switch (scale.trim().toLowerCase(Locale.ROOT)) {
          case "none" -> Preprocessing.NONE;
          case "unit" -> Preprocessing.EIGHT_BIT_UNIT;
          default ->
              throw new IllegalArgumentException(
                  "--scale " + scale + " is not allowed: none or unit");
        };
    SavedModelExport.checkTarget("--out", out);
    KotlinDlModel model = KotlinDlModel.read(dir);
    TextTable table = new TextTable("KotlinDL layer", "class", "dropwise");
    model
        .layers()
        .forEach(
            m ->
                table.row(
                    m.name(),
                    m.className(),
                    m.dropwise().isEmpty() ? "(the layer before's activation)" : m.dropwise()));
    System.out.print(table);
    System.out.printf(
        Locale.ROOT,
        "model: %s, %,d parameters, dropout %s%n",
        model.spec().widths(),
        model.spec().parameters(),
        model.spec().dropoutText());
    SavedModelExport.export(
        model.spec(),
        model.weights(),
        out,
        preprocessing,
        ClassificationData.indexNames(model.spec().classes()),
        "KotlinDL model " + dir.toAbsolutePath());
    System.out.println("dropwise model: " + out);
    return 0;
  }
}
