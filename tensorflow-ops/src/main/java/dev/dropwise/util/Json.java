package dev.dropwise.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON mapper of the project: records in, records out, indented output. */
public final class Json {
  /** The mapper, writing indented JSON. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /**
   * Whether {@code node} is a count: a whole number from 1 to {@link Integer#MAX_VALUE}, written as
   * one.
   */
  public static boolean isCount(JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToInt() && node.asInt() >= 1;
  }
}
