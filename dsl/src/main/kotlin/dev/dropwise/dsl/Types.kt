package dev.dropwise.dsl

/** The core's importance profile (Y-Drop Fig. 2), under the DSL's package. */
typealias ImportanceProfile = dev.dropwise.experiments.ImportanceProfile
