package dev.dropwise.report;

import dev.dropwise.analysis.FaithfulnessEvaluation;
import dev.dropwise.analysis.ImportanceProfile;
import dev.dropwise.analysis.RelevanceMaps;
import dev.dropwise.analysis.Robustness;
import dev.dropwise.analysis.UnitFlipping;
import dev.dropwise.experiments.Comparison;
import dev.dropwise.experiments.PruningSweep;
import dev.dropwise.experiments.RateSweep;
import dev.dropwise.train.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Writes charts of results as SVG, PNG and HTML. The core only defines it: the implementation
 * (Lets-Plot) lives in the Kotlin module {@code dropwise-dsl} and is found with {@link
 * ServiceLoader} when that module is on the classpath, as it is with the {@code dropwise} launcher.
 */
public interface ChartWriter {

  /** Loss and accuracy per epoch, train and validation; returns the files written. */
  List<Path> history(History history, String title, Path dir) throws IOException;

  /** Test accuracy per method with ± std error bars; returns the files written. */
  List<Path> comparison(List<Comparison.Summary> summaries, String title, Path dir)
      throws IOException;

  /**
   * Sorted mean importance per unit and its cumulative share, one line per model; returns the files
   * written.
   */
  List<Path> profiles(List<ImportanceProfile> profiles, String title, Path dir, String name)
      throws IOException;

  /**
   * Test accuracy against the fraction of hidden units removed, random (± std) and most important
   * first.
   */
  List<Path> robustness(
      Map<String, List<Robustness.Point>> curves, String title, Path dir, String name)
      throws IOException;

  /** Test accuracy and loss against the dropout rate, one line per method. */
  List<Path> rateSweep(List<RateSweep.Point> points, String title, Path dir, String name)
      throws IOException;

  /**
   * Each method's accuracy difference to a baseline (points, ± 95% CI) against the training-set
   * size, one line per method.
   */
  List<Path> differenceBySize(
      List<SmallDataStudy.SizePoint> points, String title, Path dir, String name)
      throws IOException;

  /**
   * One measure's mean (± 95% CI) per method, a colour per training-set size; returns the files
   * written.
   */
  List<Path> measureByMethod(
      List<UncertaintyStudy.MeasurePoint> points, String title, Path dir, String name)
      throws IOException;

  /**
   * Test accuracy and examples per second against the share of units kept, a colour per ranking,
   * dashed after fine-tuning, the original model as a reference line; returns the files written.
   */
  List<Path> pruningSweep(List<PruningSweep.Point> points, String title, Path dir, String name)
      throws IOException;

  /**
   * The prunability study's curves: mean test accuracy (± 95% CI) against the share of hidden units
   * kept, a colour per training, a panel per ranking, dashed after fine-tuning; returns the files
   * written.
   */
  List<Path> prunability(
      List<PrunabilityStudy.CurvePoint> points, String title, Path dir, String name)
      throws IOException;

  /** The implementation on the classpath (the Kotlin module's), or empty when there is none. */
  static Optional<ChartWriter> find() {
    return ServiceLoader.load(ChartWriter.class).findFirst();
  }

  /**
   * Input relevance: images beside their relevance (a diverging colour scale centred on zero), or
   * for a table, one example's features and the mean |relevance| over all; returns the files
   * written.
   */
  List<Path> inputRelevance(RelevanceMaps maps, String title, Path dir, String name)
      throws IOException;

  /**
   * Faithfulness: each attribution's pixel-flipping curves (probability of the explained class
   * against the share of features replaced, MoRF solid, LeRF dashed, the random ranking beside
   * them) as {@code name.*}, and the randomisation cascade's rank correlation against the layers
   * randomised as {@code name-randomisation.*}, and with {@code units} (none: not drawn) the unit
   * flipping curves as {@code name-units.*}; returns the files written.
   */
  List<Path> faithfulness(
      List<FaithfulnessEvaluation.Result> results,
      List<UnitFlipping.Result> units,
      String title,
      Path dir,
      String name)
      throws IOException;
}
