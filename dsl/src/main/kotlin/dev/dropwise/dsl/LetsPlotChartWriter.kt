package dev.dropwise.dsl

import dev.dropwise.analysis.FaithfulnessEvaluation
import dev.dropwise.analysis.RelevanceMaps
import dev.dropwise.analysis.Robustness
import dev.dropwise.analysis.UnitFlipping
import dev.dropwise.experiments.Comparison
import dev.dropwise.experiments.PruningSweep
import dev.dropwise.experiments.RateSweep
import dev.dropwise.report.ChartWriter
import dev.dropwise.report.PrunabilityStudy
import dev.dropwise.report.SmallDataStudy
import dev.dropwise.report.UncertaintyStudy
import dev.dropwise.train.History
import java.nio.file.Path

/** The command line's `--plots`: found by the core through `META-INF/services`. */
class LetsPlotChartWriter : ChartWriter {
  override fun history(history: History, title: String, dir: Path): List<Path> =
    Charts.saveAll(Charts.history(history, title), dir, "history")

  override fun comparison(
    summaries: List<Comparison.Summary>,
    title: String,
    dir: Path,
  ): List<Path> = Charts.saveAll(Charts.comparison(summaries, title), dir, "comparison")

  override fun profiles(
    profiles: List<ImportanceProfile>,
    title: String,
    dir: Path,
    name: String,
  ): List<Path> = Charts.saveAll(Charts.profiles(profiles, title), dir, name)

  override fun robustness(
    curves: Map<String, List<Robustness.Point>>,
    title: String,
    dir: Path,
    name: String,
  ): List<Path> = Charts.saveAll(Charts.robustness(curves, title), dir, name)

  override fun rateSweep(
    points: List<RateSweep.Point>,
    title: String,
    dir: Path,
    name: String,
  ): List<Path> = Charts.saveAll(Charts.rateSweep(points, title), dir, name)

  override fun differenceBySize(
    points: List<SmallDataStudy.SizePoint>,
    title: String,
    dir: Path,
    name: String,
  ): List<Path> = Charts.saveAll(Charts.differenceBySize(points, title), dir, name)

  override fun measureByMethod(
    points: List<UncertaintyStudy.MeasurePoint>,
    title: String,
    dir: Path,
    name: String,
  ): List<Path> = Charts.saveAll(Charts.measureByMethod(points, title), dir, name)

  override fun pruningSweep(
    points: List<PruningSweep.Point>,
    title: String,
    dir: Path,
    name: String,
  ): List<Path> = Charts.saveAll(Charts.pruningSweep(points, title), dir, name)

  override fun prunability(
    points: List<PrunabilityStudy.CurvePoint>,
    title: String,
    dir: Path,
    name: String,
  ): List<Path> = Charts.saveAll(Charts.prunability(points, title), dir, name)

  override fun inputRelevance(
    maps: RelevanceMaps,
    title: String,
    dir: Path,
    name: String,
  ): List<Path> = Charts.saveAll(Charts.inputRelevance(maps, title = title), dir, name)

  override fun faithfulness(
    results: List<FaithfulnessEvaluation.Result>,
    units: List<UnitFlipping.Result>,
    title: String,
    dir: Path,
    name: String,
  ): List<Path> =
    Charts.saveAll(Charts.faithfulness(results, title), dir, name) +
      Charts.saveAll(Charts.randomisation(results, title), dir, "$name-randomisation") +
      (if (units.isEmpty()) emptyList()
      else Charts.saveAll(Charts.unitFlipping(units, title), dir, "$name-units"))
}
