package dev.dropwise.dsl

/**
 * Marks the dropwise builders so that an inner block cannot call an outer block's functions by
 * accident.
 */
@DslMarker annotation class DropwiseDsl
