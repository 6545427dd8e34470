package dev.dropwise.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.util.Registry.Described;
import dev.dropwise.util.Registry.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one printer of canonical texts, on an entry of the test's own. */
class CanonicalTextTest {
  private enum Shape {
    ROUND,
    SQUARE_ISH
  }

  /** Settings a, shape, b (only with shape=round), rate (always written), in that order. */
  private static final Described<Map<String, String>> ENTRY =
      new Described<>(
          "thing",
          List.of(),
          "a test entry",
          List.of(
              new Parameter("a", "1", "a number"),
              new Parameter("shape", "round", "round or square-ish"),
              new Parameter(
                  "b",
                  "2 with shape=round",
                  "only with shape=round",
                  s -> s.text("shape").equals("round") ? "2" : null),
              new Parameter("rate", "0.5", "always written").writtenAlways()),
          Settings::written);

  private static String text(Object... keyValues) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put((String) keyValues[i], keyValues[i + 1]);
    }
    return CanonicalText.of(ENTRY, values);
  }

  @Test
  void writesWhatDiffersFromTheDefaultsInTheParametersOrder() {
    assertEquals("thing:rate=0.5", text("rate", 0.5, "a", 1, "shape", Shape.ROUND, "b", 2.0));
    assertEquals("thing:rate=0.5", text(), "a missing value is at its default, the rate written");
    assertEquals("thing:a=3,b=4,rate=0.25", text("rate", 0.25, "b", 4, "a", 3));
  }

  @Test
  void leavesOutWhatDoesNotApply() {
    assertEquals(
        "thing:shape=square-ish,rate=0.5", text("shape", Shape.SQUARE_ISH, "b", 7), "b is moot");
  }

  @Test
  void writesNumbersInTheirShortestForm() {
    assertEquals("0.5", CanonicalText.value(0.5));
    assertEquals("1", CanonicalText.value(1.0));
    assertEquals("0.01", CanonicalText.value(0.01f), "a float as written, not 0.0099999998");
    assertEquals("0.000001", CanonicalText.value(1e-6f));
    assertEquals("1E-30", CanonicalText.value(1e-30), "a long plain form in scientific notation");
    assertEquals("8", CanonicalText.value(8));
    assertEquals("square-ish", CanonicalText.value(Shape.SQUARE_ISH));
    // Equal numbers written differently are the same setting: 1.0 is a's default 1.
    assertEquals("thing:rate=0.5", text("a", 1.0));
    assertEquals("thing:a=1.5,rate=0.5", text("a", 1.5));
  }

  @Test
  void aValueForNoParameterIsTheSpecsMistake() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> text("c", 1));
    assertTrue(e.getMessage().contains("thing has no parameters [c]"), e.getMessage());
  }

  @Test
  void theTextReadsBackAsTheSameSettings() {
    String written = text("a", 3, "shape", Shape.SQUARE_ISH, "rate", 0.1);
    Map<String, String> read =
        ENTRY.create(Settings.parse(written.substring(written.indexOf(':') + 1), written));
    assertEquals(Map.of("a", "3", "shape", "square-ish", "rate", "0.1"), read);
  }
}
