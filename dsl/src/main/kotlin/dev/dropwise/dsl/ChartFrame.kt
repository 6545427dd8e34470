package dev.dropwise.dsl

/** A chart's data as Lets-Plot takes it, column by column, filled one row at a time. */
internal class Frame(vararg names: String) {
  private val columns = names.associateWith { mutableListOf<Any>() }

  fun row(vararg values: Any) {
    require(values.size == columns.size) {
      "a row of ${values.size} values for ${columns.size} columns"
    }
    columns.values.zip(values).forEach { (column, value) -> column += value }
  }

  operator fun get(name: String): List<Any> = columns.getValue(name)

  fun toMap(): Map<String, List<Any>> = columns
}
