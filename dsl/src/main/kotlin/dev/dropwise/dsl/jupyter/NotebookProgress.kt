package dev.dropwise.dsl.jupyter

import dev.dropwise.train.EpochRecord
import dev.dropwise.train.ProgressListener
import java.util.concurrent.atomic.AtomicInteger
import org.jetbrains.kotlinx.jupyter.api.HTML
import org.jetbrains.kotlinx.jupyter.api.KotlinKernelHost

/**
 * Training progress in a notebook: one output element per training, updated in place (a bar for the
 * running epoch, a line per finished epoch) instead of thousands of printed lines.
 */
class NotebookProgress private constructor(private val label: String) : ProgressListener {
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
    val validation =
      record.validationLoss()?.let {
        " · val loss %.4f acc %.4f".format(it, record.validationAccuracy())
      } ?: ""
    finished +=
      "epoch %d/%d · loss %.4f acc %.4f%s · %.1f s"
        .format(
          record.epoch(),
          epochs,
          record.trainLoss(),
          record.trainAccuracy(),
          validation,
          record.seconds(),
        )
    show(steps, "", done = true)
  }

  private fun show(step: Int, detail: String, done: Boolean = false) {
    val host = currentHost() ?: return
    if (!shown) {
      // The element opens with a header and changes only by updates afterwards. (This
      // kernel sends updates without a parent message, so headless runners such as
      // nbconvert keep the first state; live frontends show every update.)
      host.display(
        HTML(
          """<div style="font-family:monospace"><b>$label</b> · training, $steps steps an epoch</div>"""
        ),
        id,
      )
      shown = true
    }
    val percent = 100 * step / steps.coerceAtLeast(1)
    val bar =
      if (done) ""
      else
        """<div>$epochText <progress value="$step" max="$steps"></progress> $percent% $detail</div>"""
    val html =
      """<div style="font-family:monospace"><b>$label</b>${finished.joinToString("") { "<div>$it</div>" }}$bar</div>"""
    host.updateDisplay(HTML(html), id)
  }

  companion object {
    private val counter = AtomicInteger()

    /** Returns the host of the cell now running; set once by [attach]. */
    @Volatile private var hostOfRunningCell: (() -> KotlinKernelHost?)? = null

    /**
     * Called by [DropwiseIntegration] with a cell script (`this` in a snippet it executes). A
     * script's `userHandlesProvider` is the REPL's, and its `host` is always the running cell's
     * host — what the kernel's own `DISPLAY` uses. The provider's interface lives in the kernel's
     * lib jar, not in the API this module compiles against, hence reflection.
     */
    fun attach(script: Any) {
      val provider = script.javaClass.getMethod("getUserHandlesProvider").invoke(script)
      val getHost =
        Class.forName(
            "jupyter.kotlin.providers.KotlinKernelHostProvider",
            false,
            provider.javaClass.classLoader,
          )
          .getMethod("getHost")
      hostOfRunningCell = { getHost.invoke(provider) as KotlinKernelHost? }
    }

    private fun currentHost(): KotlinKernelHost? = hostOfRunningCell?.invoke()

    /** Progress for the running cell, or null outside a notebook. */
    fun forCurrentCell(label: String): ProgressListener? =
      currentHost()?.let { NotebookProgress(label) }
  }
}
