package dev.dropwise;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dropwise.data.DataSource;
import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.model.Architecture;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.network.FeatureShape;
import dev.dropwise.testing.Messages;
import dev.dropwise.util.ParameterException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The spec grammar on any text: a dropout method, a layer, an architecture, an importance measure,
 * a data source and a feature shape each either parse or are refused with an {@link
 * IllegalArgumentException} of dropwise's own (not a subclass a library threw, such as a
 * NumberFormatException) whose message is words, without a Java class name. The first byte picks
 * the grammar, the rest is the text (UTF-8). Committed inputs in {@code
 * SpecGrammarFuzzTestInputs/text/}.
 */
class SpecGrammarFuzzTest {
  private static final List<Consumer<String>> GRAMMARS =
      List.of(
          DropoutSpec::parse,
          LayerSpec::parse,
          Architecture::parse,
          ImportanceSpec::parse,
          text -> DataSource.parse(text, "data"),
          FeatureShape::parse);

  @FuzzTest(maxDuration = "10s")
  void text(byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    String text = new String(Arrays.copyOfRange(bytes, 1, bytes.length), StandardCharsets.UTF_8);
    try {
      GRAMMARS.get(Math.floorMod(bytes[0], GRAMMARS.size())).accept(text);
    } catch (IllegalArgumentException e) {
      assertTrue(
          e.getClass() == IllegalArgumentException.class || e instanceof ParameterException,
          "dropwise's own refusal, not a library's "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage());
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a message");
      assertFalse(
          Messages.showsJava(e.getMessage(), text),
          "no Java class in the message: " + e.getMessage());
    }
  }
}
