package dev.dropwise.dsl

import dev.dropwise.dropout.DropoutSpec
import dev.dropwise.model.Activation
import dev.dropwise.model.Initializer
import dev.dropwise.model.LayerSpec
import dev.dropwise.model.ModelSpec
import java.nio.file.Path

/** Builds a sequential model: Dense and Dropout layers over a flat input, the last Dense layer giving the logits. */
@DropwiseDsl
class SequentialBuilder internal constructor(private val inputs: Int) {
    private val layers = mutableListOf<LayerSpec>()

    /** A fully connected layer; linear and Glorot-uniform unless told otherwise, as in Keras. */
    fun dense(units: Int, activation: Activation = linear, init: Initializer = glorotUniform) {
        layers += LayerSpec.Dense(units, activation, init)
    }

    /** A dropout method on the previous layer's output. */
    fun dropout(method: DropoutSpec) {
        layers += LayerSpec.Dropout(method)
    }

    /** A dropout method from its command-line text, e.g. `dropout("sector:n=8,p=0.5")`. */
    fun dropout(text: String) = dropout(DropoutSpec.parse(text))

    internal fun build(): ModelSpec = ModelSpec(inputs, layers)
}

/** `sequential(inputs = 784) { dense(1024, activation = relu); dropout(sectorWise(n = 8, p = 0.5)); dense(10) }` */
fun sequential(inputs: Int, block: SequentialBuilder.() -> Unit): Model = Model(SequentialBuilder(inputs).apply(block).build())

/**
 * A model: its layers, and the weights of its latest training (kept live until [close] or the
 * next [train]), which [exportSavedModel] and [importance] use.
 */
class Model(val spec: ModelSpec) : AutoCloseable {
    internal var latest: Run? = null
        set(value) {
            field?.close()
            field = value
        }

    /** The trained run behind this model; fails clearly before the first [train]. */
    val run: Run get() = latest ?: throw IllegalStateException("the model has not been trained yet: call train(...) first")

    /** Exports the latest trained weights as a dropout-free SavedModel (serving_default: x -> logits, probabilities). */
    fun exportSavedModel(dir: String) = run.session.exportSavedModel(Path.of(dir))

    /** One row per layer: kind, output width, trainable parameters, dropout method. */
    fun summary(): List<LayerRow> {
        val rows = mutableListOf<LayerRow>()
        var width = spec.inputs()
        var dense = 0
        for (layer in spec.layers()) {
            when (layer) {
                is LayerSpec.Dense -> {
                    rows += LayerRow("dense_$dense", "Dense(${layer.activation().text()})", layer.units(),
                        width.toLong() * layer.units() + layer.units(), "")
                    width = layer.units()
                    dense++
                }
                is LayerSpec.Dropout -> rows += LayerRow("dropout", "Dropout", width, 0, layer.method().text())
            }
        }
        return rows
    }

    /** A layer of [summary]. */
    data class LayerRow(val name: String, val kind: String, val units: Int, val parameters: Long, val dropout: String)

    override fun toString(): String = "Model(${spec.widths()}, dropout ${spec.dropoutText()})"

    override fun close() {
        latest = null
    }
}
