package dev.dropwise.dsl

import dev.dropwise.experiments.ChartWriter
import dev.dropwise.experiments.Comparison
import dev.dropwise.train.History
import java.nio.file.Path

/** The command line's `--plots`: found by the core through `META-INF/services`. */
class LetsPlotChartWriter : ChartWriter {
    override fun history(history: History, title: String, dir: Path): List<Path> =
        Charts.saveAll(Charts.history(history, title), dir, "history")

    override fun comparison(summaries: List<Comparison.Summary>, title: String, dir: Path): List<Path> =
        Charts.saveAll(Charts.comparison(summaries, title), dir, "comparison")
}
