package dev.dropwise.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dropwise.dropout.DropoutSpec;
import dev.dropwise.model.LayerSpec;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.train.TrainConfig;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Saved runs are found again by their file names: a change to a method's settings (a new option
 * with its default) must leave the names of runs saved before it as they were, or every kept run
 * (the committed reports' too) would train again. The names were recorded with the commit before
 * Y-Drop's and conductance's {@code path} option (98eaccf).
 */
class RunNameTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ydrop,                       ydrop-30a15af4202a7fc6.json",
    "pfid:importance=conductance, pfid_importance=conductance-4eeff623920174e5.json",
    "standard:p=0.5,              standard_p=0.5-dc6d6e9c21bf5c4b.json",
    "lrp,                         lrp-ee5b01fb881a6a73.json",
  })
  void aRunSavedBeforeKeepsItsName(String method, String recorded) {
    assertEquals(recorded, name(method));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ydrop                       | ydrop:path=factored",
        "pfid:importance=conductance | pfid:importance=conductance,path=factored"
      })
  void theOptionSetGivesAnotherName(String method, String withOption) {
    assertNotEquals(name(method), name(withOption));
  }

  private static String name(String method) {
    ModelSpec spec =
        new ModelSpec(
            784,
            List.of(
                LayerSpec.parse("dense:64"),
                new LayerSpec.Dropout(DropoutSpec.parse(method)),
                LayerSpec.parse("dense:10:linear:glorot-uniform")));
    return SavedRuns.name(method, spec, TrainConfig.defaults(), 0.1, 900, "embedded");
  }
}
