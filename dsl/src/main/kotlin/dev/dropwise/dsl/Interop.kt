package dev.dropwise.dsl

import dev.dropwise.export.ServingModel
import dev.dropwise.interop.KotlinDlModel
import java.nio.file.Path

/**
 * A model KotlinDL saved with `SavingFormat.JSON_CONFIG_CUSTOM_VARIABLES`, to train on from its
 * weights: its Dropout layers become standard dropout at their rates (KotlinDL never applied them);
 * `withDropout(yDrop())` puts another method in their place.
 */
fun importKotlinDl(dir: String): Model =
  KotlinDlModel.read(Path.of(dir)).let { Model(it.spec(), it.weights()) }

/**
 * A model dropwise exported or imported, to train on from its weights, with the dropout it was
 * trained with.
 */
fun loadModel(dir: String): Model =
  ServingModel.load(Path.of(dir)).use { Model(it.trainingSpec(), it.startingWeights()) }
