package dev.dropwise.dsl.jupyter

import dev.dropwise.train.EpochRecord
import dev.dropwise.train.ProgressListener
import org.jetbrains.kotlinx.jupyter.api.HTML
import org.jetbrains.kotlinx.jupyter.api.KotlinKernelHost
import java.util.concurrent.atomic.AtomicInteger

/**
 * Training progress in a notebook: one output element per training, updated in place (a bar for
 * the running epoch, a line per finished epoch) instead of thousands of printed lines.
 */
class NotebookProgress private constructor(private val host: KotlinKernelHost, private val label: String) : ProgressListener {
    private val id = "dropwise-progress-${counter.incrementAndGet()}"
    private val finished = mutableListOf<String>()
    private var epochText = ""
    private var steps = 1
    private var lastUpdate = 0L
    private var shown = false

    override fun onEpochStart(epoch: Int, epochs: Int, steps: Int) {
        this.steps = steps
        epochText = "epoch $epoch/$epochs"
        show(0, "")
    }

    override fun onStep(stepInEpoch: Int, loss: Double, examplesPerSecond: Double) {
        val now = System.nanoTime()
        if (now - lastUpdate > 300_000_000L || stepInEpoch == steps) {
            lastUpdate = now
            show(stepInEpoch, "loss %.4f · %,.0f ex/s".format(loss, examplesPerSecond))
        }
    }

    override fun onEpochEnd(record: EpochRecord, epochs: Int) {
        val validation = record.validationLoss()?.let { " · val loss %.4f acc %.4f".format(it, record.validationAccuracy()) } ?: ""
        finished += "epoch %d/%d · loss %.4f acc %.4f%s · %.1f s".format(record.epoch(), epochs, record.trainLoss(),
            record.trainAccuracy(), validation, record.seconds())
        show(steps, "", done = true)
    }

    private fun show(step: Int, detail: String, done: Boolean = false) {
        val percent = 100 * step / steps.coerceAtLeast(1)
        val bar = if (done) "" else """<div>$epochText <progress value="$step" max="$steps"></progress> $percent% $detail</div>"""
        val html = """<div style="font-family:monospace"><b>$label</b>${finished.joinToString("") { "<div>$it</div>" }}$bar</div>"""
        if (shown) host.updateDisplay(HTML(html), id) else host.display(HTML(html), id)
        shown = true
    }

    companion object {
        private val counter = AtomicInteger()

        /** The kernel host of the cell being executed; set by [DropwiseIntegration] before each cell. */
        @Volatile
        internal var host: KotlinKernelHost? = null

        /** Progress for the running cell, or null outside a notebook. */
        fun forCurrentCell(label: String): ProgressListener? = host?.let { NotebookProgress(it, label) }
    }
}
