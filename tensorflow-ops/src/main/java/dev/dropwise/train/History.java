package dev.dropwise.train;

import dev.dropwise.util.AtomicFiles;
import dev.dropwise.util.Json;
import dev.dropwise.util.TextTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Per-epoch training history, printable as a table and saved as CSV and JSON. */
public final class History {
  private final List<EpochRecord> epochs = new ArrayList<>();

  /** An empty history. */
  public History() {}

  /** A history holding {@code records}, in order (e.g. a checkpoint's, to resume from). */
  public History(List<EpochRecord> records) {
    epochs.addAll(records);
  }

  /** Appends one epoch's record. */
  public void add(EpochRecord record) {
    epochs.add(record);
  }

  /** The records so far, oldest first. */
  public List<EpochRecord> epochs() {
    return List.copyOf(epochs);
  }

  /** Number of epochs recorded. */
  public int size() {
    return epochs.size();
  }

  /** The latest epoch's record; the history must not be empty. */
  public EpochRecord last() {
    return epochs.get(epochs.size() - 1);
  }

  /**
   * A console table, one row per epoch, with each dropout layer's drop rate (and scheduled rate, if
   * any).
   */
  public String toTable() {
    boolean scheduled = !epochs.isEmpty() && !epochs.get(0).scheduledRates().isEmpty();
    TextTable table =
        scheduled
            ? new TextTable(
                "epoch",
                "train loss",
                "train acc",
                "val loss",
                "val acc",
                "rate",
                "dropped",
                "seconds")
            : new TextTable(
                "epoch", "train loss", "train acc", "val loss", "val acc", "dropped", "seconds");
    for (EpochRecord e : epochs) {
      List<Object> cells =
          new ArrayList<>(
              List.of(
                  e.epoch(),
                  f4(e.trainLoss()),
                  f4(e.trainAccuracy()),
                  f4(e.validationLoss()),
                  f4(e.validationAccuracy())));
      if (scheduled) {
        cells.add(perLayer(e.scheduledRates()));
      }
      cells.add(perLayer(e.dropRates()));
      cells.add(String.format(Locale.ROOT, "%.1f", e.seconds()));
      table.row(cells.toArray());
    }
    return table.toString();
  }

  /** One value per layer, e.g. {@code 0.50/0.50}, or {@code -}. */
  private static String perLayer(List<Double> values) {
    return values.isEmpty()
        ? "-"
        : String.join(
            "/", values.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList());
  }

  /**
   * CSV with a header row, one row per epoch, one column per dropout layer's drop rate and per
   * scheduled rate.
   */
  public String toCsv() {
    int layers = epochs.isEmpty() ? 0 : epochs.get(0).dropRates().size();
    int scheduled = epochs.isEmpty() ? 0 : epochs.get(0).scheduledRates().size();
    StringBuilder csv =
        new StringBuilder(
            "epoch,step,train_loss,train_accuracy,validation_loss,validation_accuracy,seconds");
    for (int l = 1; l <= layers; l++) {
      csv.append(",drop_rate_").append(l);
    }
    for (int l = 1; l <= scheduled; l++) {
      csv.append(",scheduled_rate_").append(l);
    }
    csv.append('\n');
    for (EpochRecord e : epochs) {
      csv.append(e.epoch())
          .append(',')
          .append(e.step())
          .append(',')
          .append(e.trainLoss())
          .append(',')
          .append(e.trainAccuracy())
          .append(',')
          .append(orEmpty(e.validationLoss()))
          .append(',')
          .append(orEmpty(e.validationAccuracy()))
          .append(',')
          .append(e.seconds());
      e.dropRates().forEach(r -> csv.append(',').append(r));
      e.scheduledRates().forEach(r -> csv.append(',').append(r));
      csv.append('\n');
    }
    return csv.toString();
  }

  /** Writes {@link #toCsv()} to {@code file}, atomically. */
  public void writeCsv(Path file) throws IOException {
    AtomicFiles.write(file, toCsv());
  }

  /** Writes the records to {@code file} as a JSON array, atomically. */
  public void writeJson(Path file) throws IOException {
    AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(epochs));
  }

  private static String f4(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String orEmpty(Double v) {
    return v == null ? "" : v.toString();
  }
}
