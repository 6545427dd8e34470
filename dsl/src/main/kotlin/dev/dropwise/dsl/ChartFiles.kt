package dev.dropwise.dsl

import dev.dropwise.util.AtomicFiles
import dev.dropwise.util.OutputDirectories
import java.io.ByteArrayOutputStream
import java.io.StringReader
import java.nio.file.Path
import org.apache.batik.transcoder.TranscoderInput
import org.apache.batik.transcoder.TranscoderOutput
import org.apache.batik.transcoder.image.PNGTranscoder
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.awt.plot.PlotSvgExport
import org.jetbrains.letsPlot.intern.toSpec

/** [plot] as an SVG document. */
fun Charts.svg(plot: Figure): String = PlotSvgExport.buildSvgImageFromRawSpecs(plot.toSpec())

/** [plot] as a PNG image, [scale] times its size in pixels (rendered by Batik). */
fun Charts.png(plot: Figure, scale: Float = 2f): ByteArray {
  val transcoder = PNGTranscoder()
  // Batik's CSS parser rejects "pixelated" (which Lets-Plot puts on raster layers beside
  // "optimizeSpeed") and prints an error per image; optimizeSpeed alone renders the same.
  val svg = svg(plot).replace("; image-rendering: pixelated", "")
  Regex("width=\"([0-9.]+)").find(svg)?.groupValues?.get(1)?.toFloatOrNull()?.let {
    transcoder.addTranscodingHint(PNGTranscoder.KEY_WIDTH, it * scale)
  }
  val out = ByteArrayOutputStream()
  transcoder.transcode(TranscoderInput(StringReader(svg)), TranscoderOutput(out))
  return out.toByteArray()
}

/** Saves [plot] by the extension of [file]: `.svg`, `.png` or `.html`; written atomically. */
fun Charts.save(plot: Figure, file: Path): Path {
  val name = file.fileName.toString()
  when {
    name.endsWith(".svg") -> AtomicFiles.write(file, svg(plot))
    name.endsWith(".png") -> AtomicFiles.write(file, png(plot))
    // Self-contained: the SVG inline. (Lets-Plot's own HTML export loads its JavaScript from
    // a CDN and shows nothing offline.)
    name.endsWith(".html") ->
      AtomicFiles.write(
        file,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>${name.removeSuffix(".html")}</title></head>\n" +
          "<body>\n${svg(plot)}\n</body></html>\n",
      )
    else ->
      throw IllegalArgumentException("chart file $file: the name must end in .svg, .png or .html")
  }
  return file
}

/**
 * `<dir>/<name>.svg`, `.png` and `.html`; [dir] must be new, empty or already dropwise's
 * ([OutputDirectories]), so that no chart replaces a file of the user's.
 */
fun Charts.saveAll(plot: Figure, dir: Path, name: String): List<Path> {
  OutputDirectories.claim("chart directory", dir)
  return listOf("svg", "png", "html").map { save(plot, dir.resolve("$name.$it")) }
}
