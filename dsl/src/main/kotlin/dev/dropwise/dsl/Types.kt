package dev.dropwise.dsl

// Core types the DSL hands out, under the DSL's package: a notebook imports dev.dropwise.dsl.* and
// can name them in its own helpers, e.g. `fun trained(method: DropoutSpec): Run`.

/** The core's importance profile (Y-Drop Fig. 2). */
typealias ImportanceProfile = dev.dropwise.analysis.ImportanceProfile

/** What the dropout builders return: `standard(0.5)`, `sectorWise()`, `yDrop()`, … */
typealias DropoutSpec = dev.dropwise.dropout.DropoutSpec

/** What the importance builders return: `lrp()`, `gradient()`, `conductance()`, … */
typealias ImportanceSpec = dev.dropwise.importance.ImportanceSpec
