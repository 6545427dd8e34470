package dev.dropwise.dsl.jupyter

import dev.dropwise.dsl.Charts
import dev.dropwise.dsl.ComparisonResult
import dev.dropwise.dsl.ImportanceProfile
import dev.dropwise.dsl.Model
import dev.dropwise.dsl.Run
import dev.dropwise.dsl.svg
import dev.dropwise.report.SummaryTables
import dev.dropwise.train.History
import dev.dropwise.util.Html
import org.jetbrains.kotlinx.jupyter.api.HTML
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration
import org.jetbrains.letsPlot.intern.Plot

/**
 * Loaded by the Kotlin kernel when the dsl jar is added with `@file:DependsOn`: imports the DSL and
 * renders its results — a history as loss and accuracy charts, a comparison as a table with a bar
 * chart, an importance profile as its charts, a model as a layer table — and routes training
 * progress to a display updated in place.
 */
class DropwiseIntegration : JupyterIntegration() {
  override fun Builder.onLoaded() {
    import(
      "dev.dropwise.dsl.*",
      "dev.dropwise.data.*",
      "dev.dropwise.train.History",
      "dev.dropwise.importance.Target",
      "org.jetbrains.letsPlot.*",
      "org.jetbrains.letsPlot.geom.*",
    )
    onLoaded { execute("dev.dropwise.dsl.jupyter.NotebookProgress.attach(this)") }
    render<History> { HTML(Charts.svg(Charts.history(it))) }
    render<Run> { HTML(runHtml(it)) }
    render<ComparisonResult> { HTML(comparisonHtml(it)) }
    render<ImportanceProfile> {
      HTML("<pre>${escape(it.toString())}</pre>" + Charts.svg(Charts.importanceProfile(it)))
    }
    render<Model> { HTML(modelHtml(it)) }
    render<Plot> { HTML(Charts.svg(it)) }
  }

  // The run's line only: its history has a rendering of its own (`run.history`), so a notebook
  // that shows both draws the charts once.
  private fun runHtml(run: Run): String = "<p>${escape(run.toString())}</p>"

  private fun comparisonHtml(result: ComparisonResult): String =
    "<p>${escape(result.title)}; test set with dropout off</p>" +
      SummaryTables.html(result.summaries) +
      Charts.svg(Charts.comparison(result.summaries))

  private fun modelHtml(model: Model): String {
    val rows =
      model.summary().joinToString("") {
        "<tr><td>${it.name}</td><td>${escape(it.kind)}</td><td>${it.output}</td><td>%,d</td><td>${escape(it.dropout)}</td></tr>"
          .format(it.parameters)
      }
    return "<table><tr><th>layer</th><th>kind</th><th>output</th><th>parameters</th><th>dropout</th></tr>$rows</table>"
  }

  private fun escape(text: String) = Html.escape(text)
}
