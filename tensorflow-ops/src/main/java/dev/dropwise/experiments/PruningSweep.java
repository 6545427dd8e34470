package dev.dropwise.experiments;

import dev.dropwise.analysis.Predictions;
import dev.dropwise.data.Dataset;
import dev.dropwise.export.SavedModelExport;
import dev.dropwise.export.ServingModel;
import dev.dropwise.export.ServingSpeed;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.prune.FineTuning;
import dev.dropwise.prune.ModelPruning;
import dev.dropwise.prune.UnitRanking;
import dev.dropwise.util.FileNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The curve users decide from: a model pruned to each share kept, by each ranking, with and without
 * fine-tuning — each pruned copy's test accuracy, size and serving speed beside the original's.
 */
public final class PruningSweep {
  private PruningSweep() {}

  /** The batch the serving speed is measured at. */
  public static final int BATCH = 256;

  /** Timed serving runs per model, of which the median counts. */
  public static final int REPEATS = 5;

  /**
   * One model of the sweep: the original has the ranking {@code none} and keeps 1.
   *
   * @param fineTuneEpochs epochs of fine-tuning after pruning (0: none)
   * @param examplesPerSecond {@code serving_default}'s at batch {@value #BATCH}
   */
  public record Point(
      String ranking,
      double keep,
      int fineTuneEpochs,
      ModelSpec network,
      double accuracy,
      long bytesOnDisk,
      double examplesPerSecond,
      Path model) {

    /** {@code none}, {@code 1 epoch}, {@code 3 epochs}. */
    public String fineTuning() {
      return epochs(fineTuneEpochs);
    }
  }

  /** {@code none}, {@code 1 epoch}, {@code 3 epochs}: how long a model was fine-tuned. */
  public static String epochs(int count) {
    return count == 0 ? "none" : count + (count == 1 ? " epoch" : " epochs");
  }

  /**
   * {@code model} (exported at {@code from}) and its copies pruned to each of {@code shares} by
   * each of {@code rankings} ({@link ModelPruning#prune}, ranked on {@code examples} with {@code
   * seed}), each also fine-tuned when {@code fineTuning} is not null, exported under {@code dir}
   * (one folder per copy), measured on {@code test} (raw, as the exports take it) and at serving; a
   * line per model to {@code log}.
   */
  public static List<Point> run(
      ServingModel model,
      Path from,
      List<Double> shares,
      List<UnitRanking> rankings,
      Dataset examples,
      long seed,
      FineTuning fineTuning,
      Dataset test,
      Path dir,
      PrintStream log)
      throws IOException {
    int fineTuneEpochs = fineTuning == null ? 0 : fineTuning.config().epochs();
    check(model, from, shares, rankings, fineTuneEpochs, dir);
    List<Point> points = new ArrayList<>();
    points.add(measure("none", 1, 0, model, from, test, log));
    for (UnitRanking ranking : rankings) {
      for (double share : shares) {
        for (int epochs : tunings(fineTuneEpochs)) {
          Path out = target(dir, ranking, share, epochs);
          ModelPruning.prune(
              model,
              from,
              List.of(share),
              ranking,
              examples,
              seed,
              1,
              epochs == 0 ? null : fineTuning,
              out);
          try (ServingModel pruned = ServingModel.load(out)) {
            points.add(measure(ranking.text(), share, epochs, pruned, out, test, log));
          }
        }
      }
    }
    return points;
  }

  /**
   * Refuses, before any work, a share (of {@code --sweep}) that does not fit every prunable layer
   * of {@code model}, a folder {@code dir} that holds the model read ({@code from}), and a place in
   * it a pruned copy (fine-tuned {@code fineTuneEpochs}, when not 0) could not be exported to.
   */
  public static void check(
      ServingModel model,
      Path from,
      List<Double> shares,
      List<UnitRanking> rankings,
      int fineTuneEpochs,
      Path dir)
      throws IOException {
    for (double share : shares) {
      ModelPruning.check(model, "--sweep", List.of(share), 1);
    }
    if (from.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException(
          "--model "
              + from
              + " lies inside --out "
              + dir
              + ", where the sweep writes its models: the model pruned is read, never written; "
              + "choose an --out outside it");
    }
    for (UnitRanking ranking : rankings) {
      for (double share : shares) {
        for (int epochs : tunings(fineTuneEpochs)) {
          SavedModelExport.checkTarget("--out", target(dir, ranking, share, epochs));
        }
      }
    }
  }

  /** 0, and {@code fineTuneEpochs} when there is fine-tuning. */
  private static List<Integer> tunings(int fineTuneEpochs) {
    return fineTuneEpochs == 0 ? List.of(0) : List.of(0, fineTuneEpochs);
  }

  /** Where the copy pruned by {@code ranking} to {@code share} and tuned {@code epochs} goes. */
  private static Path target(Path dir, UnitRanking ranking, double share, int epochs) {
    return dir.resolve(
        FileNames.slug(ranking.text()) + "-keep" + share + (epochs == 0 ? "" : "-tuned" + epochs));
  }

  private static Point measure(
      String ranking,
      double keep,
      int epochs,
      ServingModel model,
      Path dir,
      Dataset test,
      PrintStream log)
      throws IOException {
    Point p =
        new Point(
            ranking,
            keep,
            epochs,
            model.network(),
            Predictions.served(model, test).accuracy(),
            ServingSpeed.bytesOnDisk(dir),
            ServingSpeed.examplesPerSecond(ServingSpeed.medianMs(model, BATCH, REPEATS)),
            dir);
    log.printf(
        Locale.ROOT,
        "%s keeping %s%s: %s, test accuracy %.4f%n",
        ranking,
        keep,
        epochs == 0 ? "" : ", fine-tuned " + epochs(epochs),
        p.network().widths(),
        p.accuracy());
    return p;
  }
}
