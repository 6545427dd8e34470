package dev.dropwise.cli;

import dev.dropwise.analysis.FaithfulnessEvaluation;
import dev.dropwise.analysis.RelevanceMaps;
import dev.dropwise.analysis.UnitFlipping;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.PruningSweep;
import dev.dropwise.report.ChartWriter;
import dev.dropwise.train.History;
import dev.dropwise.util.OutputDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --plots DIR}: charts as SVG, PNG and HTML, drawn by the Lets-Plot writer of the dsl
 * module.
 */
final class PlotsOption {
  @Option(
      names = "--plots",
      paramLabel = "DIR",
      description = "Write charts (SVG, PNG, HTML) into DIR.")
  Path dir;

  /**
   * Refuses --plots when no chart writer is on the classpath or dropwise may not write to DIR,
   * before any work.
   */
  void check() {
    if (dir == null) {
      return;
    }
    OutputDirectories.check("--plots", dir);
    if (ChartWriter.find().isEmpty()) {
      throw new IllegalArgumentException(
          "--plots "
              + dir
              + ": no chart writer on the classpath; run through the dropwise launcher, which includes the dsl module");
    }
  }

  void history(History history, String title) throws IOException {
    if (dir != null) {
      print(ChartWriter.find().orElseThrow().history(history, title, dir));
    }
  }

  /** Writes the comparison chart; returns the files (none without --plots). */
  List<Path> comparison(List<Comparison.Summary> summaries, String title) throws IOException {
    if (dir == null) {
      return List.of();
    }
    List<Path> files = ChartWriter.find().orElseThrow().comparison(summaries, title, dir);
    print(files);
    return files;
  }

  /** Writes the pruning sweep's chart, when --plots is given. */
  void pruningSweep(List<PruningSweep.Point> points, String title) throws IOException {
    if (dir != null) {
      print(ChartWriter.find().orElseThrow().pruningSweep(points, title, dir, "pruning-sweep"));
    }
  }

  /** Writes the input relevance charts, when --plots is given. */
  void inputRelevance(RelevanceMaps maps, String title) throws IOException {
    if (dir != null) {
      print(ChartWriter.find().orElseThrow().inputRelevance(maps, title, dir, "input-relevance"));
    }
  }

  /** Writes the faithfulness curves and the randomisation cascade, when --plots is given. */
  void faithfulness(
      List<FaithfulnessEvaluation.Result> results, List<UnitFlipping.Result> units, String title)
      throws IOException {
    if (dir != null) {
      print(
          ChartWriter.find()
              .orElseThrow()
              .faithfulness(results, units, title, dir, "faithfulness"));
    }
  }

  private static void print(List<Path> files) {
    System.out.println("charts: " + String.join(", ", files.stream().map(Path::toString).toList()));
  }
}
