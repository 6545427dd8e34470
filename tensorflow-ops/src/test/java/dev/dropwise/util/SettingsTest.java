package dev.dropwise.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.util.Registry.Parameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings of one spec: parsing, defaults from the declared parameters, and the refusals. */
class SettingsTest {
  private static final List<Parameter> DECLARED =
      List.of(
          new Parameter("p", "0.5", "a rate"),
          new Parameter("mode", "batch", "batch or example"),
          new Parameter(
              "timing",
              "after, current with mode=example",
              "when",
              s -> s.oneOf("mode", "batch", "example").equals("example") ? "current" : "after"));

  private static String refusal(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void keysAreLowerCasedValuesTrimmedInTheOrderWritten() {
    Settings s = Settings.parse(" P = 0.3 , Mode=example", "spec 'x'");
    assertEquals("0.3", s.get("p"));
    assertEquals("example", s.get("mode"));
    assertEquals(0.3, s.number("p", "9"));
    assertEquals("0.5", Settings.parse("  ", "spec 'x'").bind(DECLARED).text("p"));
  }

  @Test
  void aBoundSettingTakesItsParametersDefaultOrItsRulesWhereNotWritten() {
    Settings none = Settings.of(Map.of(), "spec 'x'").bind(DECLARED);
    assertEquals(0.5, none.number("p"));
    assertEquals("after", none.text("timing"));
    Settings perExample = Settings.of(Map.of("mode", "example"), "spec 'x'").bind(DECLARED);
    assertEquals("current", perExample.text("timing"), "the rule follows mode");
    Settings written =
        Settings.of(Map.of("mode", "example", "timing", "after"), "spec 'x'").bind(DECLARED);
    assertEquals("after", written.text("timing"), "what is written wins over the rule");
  }

  @Test
  void mistakesNameTheSettingTheValueTheSpecAndWhatIsAllowed() {
    assertEquals(
        "'p' in spec 'x' is not key=value", refusal(() -> Settings.parse("p", "spec 'x'")));
    assertEquals(
        "'' in spec 'x' is not key=value", refusal(() -> Settings.parse("p=0.5,", "spec 'x'")));
    assertEquals(
        "p is given twice in spec 'x' (p=0.1 and p=0.2); give each setting once",
        refusal(() -> Settings.parse("p=0.1,P=0.2", "spec 'x'")));
    Settings bad = Settings.parse("p=half,mode=both", "spec 'x'").bind(DECLARED);
    assertEquals("p=half in spec 'x' is not a number", refusal(() -> bad.number("p")));
    assertEquals(
        "mode=both in spec 'x' is not allowed; use batch or example",
        refusal(() -> bad.oneOf("mode", "batch", "example")));
    assertEquals(
        "unknown parameter 'q' in spec 'x'; allowed: mode, p, timing",
        refusal(
            () -> Settings.parse("q=1", "spec 'x'").allowOnly(Registry.parameterNames(entry()))));
  }

  @Test
  void anUndeclaredReadIsTheFactorysMistakeNotTheUsers() {
    Settings s = Settings.of(Map.of(), "spec 'x'").bind(DECLARED);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.number("q"));
    assertTrue(e.getMessage().startsWith("'q' is not a declared parameter of spec 'x'"));
  }

  @Test
  void aVariantReplacesOnlyTheDefaultsItNames() {
    List<Parameter> variant = Registry.withDefaults(DECLARED, "p", "0.35", "timing", "current");
    assertEquals("0.35", variant.get(0).defaultValue());
    assertEquals(DECLARED.get(1), variant.get(1));
    Settings none = Settings.of(Map.of(), "spec 'x'").bind(variant);
    assertEquals("current", none.text("timing"), "a fixed default replaces the rule");
    assertThrows(IllegalArgumentException.class, () -> Registry.withDefaults(DECLARED, "q", "1"));
    assertThrows(IllegalArgumentException.class, () -> Registry.withDefaults(DECLARED, "p"));
  }

  private static Registry.Entry<String> entry() {
    return new Registry.Described<>("x", List.of(), "a test entry", DECLARED, s -> s.text("p"));
  }
}
