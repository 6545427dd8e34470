package dev.dropwise.cli;

import dev.dropwise.experiments.PruningSweep;
import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.TextTable;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * What {@code prune --sweep} shows: a table of every model of the sweep against the original (the
 * first point), {@code sweep.csv} in the sweep's folder, and the chart with --plots.
 */
final class PruneSweepOutput {
  private PruneSweepOutput() {}

  static final String CSV = "sweep.csv";

  static void write(List<PruningSweep.Point> points, Path dir, PlotsOption plots, String model)
      throws IOException {
    PruningSweep.Point original = points.get(0);
    TextTable table =
        new TextTable(
            "ranking",
            "keep",
            "fine-tuned",
            "network",
            "parameters",
            "MB on disk",
            "test accuracy",
            "change",
            "examples / s",
            "speed-up");
    StringWriter csv = new StringWriter();
    try (CSVPrinter printer =
        new CSVPrinter(
            csv,
            CSVFormat.DEFAULT
                .builder()
                .setRecordSeparator('\n')
                .setHeader(
                    "ranking",
                    "keep",
                    "fine_tune_epochs",
                    "network",
                    "parameters",
                    "multiply_adds",
                    "bytes_on_disk",
                    "test_accuracy",
                    "examples_per_second",
                    "model")
                .build())) {
      for (PruningSweep.Point p : points) {
        table.row(
            p.ranking(),
            p.keep(),
            p.fineTuning(),
            p.network().widths(),
            String.format(Locale.ROOT, "%,d", p.network().parameters()),
            String.format(Locale.ROOT, "%.2f", p.bytesOnDisk() / 1e6),
            String.format(Locale.ROOT, "%.4f", p.accuracy()),
            String.format(Locale.ROOT, "%+.4f", p.accuracy() - original.accuracy()),
            String.format(Locale.ROOT, "%,.0f", p.examplesPerSecond()),
            String.format(
                Locale.ROOT, "%.2fx", p.examplesPerSecond() / original.examplesPerSecond()));
        printer.printRecord(
            p.ranking(),
            p.keep(),
            p.fineTuneEpochs(),
            p.network().widths(),
            p.network().parameters(),
            p.network().multiplyAdds(),
            p.bytesOnDisk(),
            p.accuracy(),
            p.examplesPerSecond(),
            p.model());
      }
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "examples per second: serving_default at batch %d, the median of %d runs%n",
        PruningSweep.BATCH,
        PruningSweep.REPEATS);
    System.out.print(table);
    AtomicFiles.write(dir.resolve(CSV), csv.toString());
    System.out.println("sweep: " + dir.resolve(CSV));
    plots.pruningSweep(points, "pruning " + model);
  }
}
