package dev.dropwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.util.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class SpecListsTest {
  /** The methods {@code compare --methods TEXT} would run, as their texts. */
  private static List<String> compared(String text) {
    CompareCommand compare = new CompareCommand();
    new CommandLine(compare).parseArgs("--methods", text);
    return compare.methods.stream().map(DropoutSpec::text).toList();
  }

  @Test
  void aSemicolonInsideParenthesesBelongsToItsSpec() {
    String integrated = "scheduled:schedule=integrated,of=adaptive(r0=0.3;alpha=0.4)+curriculum";
    assertEquals(
        List.of("standard:p=0.5", integrated), SpecLists.split("standard:p=0.5;" + integrated));
    assertEquals(
        List.of("standard:p=0.5", DropoutSpec.parse(integrated).text()),
        compared("standard:p=0.5;" + integrated));
    // nested deeper, and a layer list whose dropout layer holds such a schedule
    assertEquals(
        List.of(
            "dense:8,dropout(scheduled:schedule=integrated,of=adaptive(r0=0.3;alpha=0.4))", "16"),
        SpecLists.split(
            "dense:8,dropout(scheduled:schedule=integrated,of=adaptive(r0=0.3;alpha=0.4));16"));
    assertEquals(List.of("a", "", "b"), SpecLists.split("a;;b"));
  }

  @Test
  void everyRegisteredMethodsTextParsesInsideMethods() {
    List<String> texts =
        DropoutMethods.all().stream()
            .map(m -> m.create(Settings.of(Map.of(), m.name())).text())
            .toList();
    assertEquals(texts, compared(String.join(";", texts)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "adaptive(r0=0.3;alpha=0.2;thetadepth=2.0)+curriculum(r=0.3;gamma=2.0)",
        "contextual(r0=0.3;theta=2.0;phi=0.5)+annealed(start=0.6;end=0.2;epochs=3)",
        "dynamic-alpha(r0=0.4;delta=3.0;lambda=0.2)+constant(r=0.3)"
      })
  void integratedSchedulesWithSettingsParseInsideMethodsAsTheirTextSaysThem(String parts) {
    String text = DropoutSpec.parse("scheduled:schedule=integrated,of=" + parts).text();
    assertEquals(
        List.of("none", text, "standard:p=0.5"), compared("none;" + text + ";standard:p=0.5"));
  }
}
