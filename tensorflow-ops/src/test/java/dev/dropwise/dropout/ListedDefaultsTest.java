package dev.dropwise.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.importance.ImportanceMeasures;
import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.schedule.RateSchedules;
import dev.dropwise.util.Registry;
import dev.dropwise.util.Registry.Described;
import dev.dropwise.util.Registry.Parameter;
import dev.dropwise.util.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The defaults a registry entry lists (what {@code dropwise methods} prints) are the ones its
 * factory uses, for every built-in dropout method, measure and schedule: each written out gives the
 * same object as not written at all.
 */
class ListedDefaultsTest {
  @Test
  void everyEntrysListedDefaultsAreTheOnesItUses() {
    List<Registry.Entry<?>> entries = new ArrayList<>();
    entries.addAll(DropoutMethods.all());
    entries.addAll(ImportanceMeasures.all());
    entries.addAll(RateSchedules.all());
    for (Registry.Entry<?> entry : entries) {
      assertEquals(List.of(), Registry.defaultsNotUsed(entry), entry.name());
    }
  }

  /**
   * Every registered method's text, written by the one printer from its settings, reads back as
   * itself: the spec at its defaults, and with each non-default setting of DropoutMethodsTest.
   */
  @Test
  void everyEntrysTextReadsBackAsItself() {
    List<DropoutSpec> specs = new ArrayList<>();
    DropoutMethods.all().forEach(m -> specs.add(m.create(Settings.of(Map.of(), m.name()))));
    DropoutMethodsTest.NON_DEFAULT_SETTINGS.forEach(t -> specs.add(DropoutSpec.parse(t)));
    for (DropoutSpec spec : specs) {
      DropoutSpec again = DropoutSpec.parse(spec.text());
      assertEquals(spec, again, spec.text());
      assertEquals(spec.text(), again.text());
    }
  }

  @Test
  void everyMeasuresTextReadsBackAsItselfWithWhatDiffersFromTheDefaults() {
    List<ImportanceSpec> measures = new ArrayList<>();
    ImportanceMeasures.all().forEach(m -> measures.add(m.create(Settings.of(Map.of(), m.name()))));
    for (String text :
        List.of(
            "lrp-eps:epsilon=0.01",
            "lrp-gamma:gamma=0.5,epsilon=0.001,target=label",
            "conductance:steps=16,path=factored",
            "gradient-x-activation:target=label")) {
      measures.add(ImportanceSpec.parse(text));
      assertEquals(text, ImportanceSpec.parse(text).text(), "written in the parameter order");
    }
    for (ImportanceSpec measure : measures) {
      ImportanceSpec again = ImportanceSpec.parse(measure.text());
      assertEquals(measure, again, measure.text());
      assertEquals(measure.text(), again.text());
    }
    assertEquals("conductance", ImportanceSpec.parse("conductance:steps=5").text());
    assertEquals("lrp-eps", ImportanceSpec.parse("lrp-eps:epsilon=1e-6,target=predicted").text());
  }

  @Test
  void theTextSaysWhatDiffersFromTheDefaultsAndTheRate() {
    assertEquals("standard:p=0.5", DropoutSpec.parse("standard").text(), "the rate always");
    assertEquals("sector:n=8,p=0.5", DropoutSpec.parse("sector").text());
    assertEquals("sector:n=8,p=0.5,mode=batch", DropoutSpec.parse("sector:mode=batch").text());
    assertEquals("ydrop", DropoutSpec.parse("ydrop:alpha=0.01,K=1,nc=5").text());
    assertEquals("ydrop:k=2,path=factored", DropoutSpec.parse("ydrop:path=factored,K=2").text());
    assertEquals("pfid", DropoutSpec.parse("pfid:alpha=0.5,form=linear").text());
    assertEquals(
        "pfid:importance=conductance,steps=3",
        DropoutSpec.parse("pfid:steps=3,importance=conductance").text(),
        "the measure's settings after it, in the parameter order");
    // A setting that does not apply is left out: bias only counts with select=rank.
    assertEquals("lrp:p=0.35,select=top", DropoutSpec.parse("lrp:select=top,bias=0.2").text());
    // A variant's text where it is the shorter: lrp-official's settings, and one changed.
    assertEquals("lrp-official:p=0.5", LrpGuidedDropout.official(0.5).text());
    assertEquals(
        "lrp-official:p=0.5,select=low", DropoutSpec.parse("lrp-official:select=low").text());
    assertEquals("lrp:p=0.5", DropoutSpec.parse("lrp:p=0.5").text());
    assertEquals("pfid-paper", DropoutSpec.parse("pfid:mean=0,max=1,examples=all").text());
  }

  @Test
  void variantsListTheirOwnDefaults() {
    // lrp-official and pfid-paper once showed their parent's list (p=0.35; mean=0.5, max=0.9).
    assertEquals("0.5", listed("lrp-official", "p"));
    assertEquals("top", listed("lrp-official", "select"));
    assertEquals("all", listed("lrp-official", "examples"));
    assertEquals("0.35", listed("lrp", "p"));
    assertEquals("0", listed("pfid-paper", "mean"));
    assertEquals("1", listed("pfid-paper", "max"));
    assertEquals("0.9", listed("pfid", "max"));
    assertEquals(DropoutSpec.parse("lrp-official"), DropoutSpec.parse("lrp-official:p=0.5"));
    assertNotEquals(DropoutSpec.parse("lrp-official"), DropoutSpec.parse("lrp-official:p=0.35"));
  }

  @Test
  void aDefaultThatDependsOnAnotherSettingFollowsIt() {
    // LRP-guided's timing: after the update, but the current batch's relevance per example.
    assertEquals(
        DropoutSpec.parse("lrp:mode=example,timing=current"),
        DropoutSpec.parse("lrp:mode=example"));
    assertEquals(DropoutSpec.parse("lrp:timing=after"), DropoutSpec.parse("lrp"));
    // PFID's mean: 0.5, but 0 (as computed) for the compounded form.
    assertEquals(
        DropoutSpec.parse("pfid:form=compounded,mean=0"),
        DropoutSpec.parse("pfid:form=compounded"));
    // scheduled's r0 is the chosen schedule's: contextual's, when contextual is chosen.
    assertEquals(
        DropoutSpec.parse("scheduled:schedule=contextual,r0=0.5"),
        DropoutSpec.parse("scheduled:schedule=contextual"));
  }

  @Test
  void anEntryWhoseFactoryKeepsADefaultOfItsOwnIsFound() {
    Described<DropoutSpec> wrong =
        new Described<>(
            "wrong",
            List.of(),
            "lists 0.5, uses 0.3",
            List.of(new Parameter("p", "0.5", "drop rate")),
            s -> new StandardDropout(s.number("p", "0.3")));
    List<String> found = Registry.defaultsNotUsed(wrong);
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("wrong: p=0.5 gives "), found.get(0));
  }

  @Test
  void aFactoryThatReadsAnUndeclaredSettingIsToldSo() {
    Described<DropoutSpec> undeclared =
        new Described<>(
            "undeclared", List.of(), "reads q", List.of(), s -> new StandardDropout(s.number("q")));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> undeclared.create(Settings.of(Map.of(), "dropout spec 'undeclared'")));
    assertTrue(e.getMessage().contains("'q' is not a declared parameter"), e.getMessage());
  }

  @Test
  void aFactoryThatReadsASettingWhoseRuleSaysItDoesNotApplyIsToldSo() {
    Described<DropoutSpec> misread =
        new Described<>(
            "misread",
            List.of(),
            "reads q where q does not apply",
            List.of(new Parameter("q", "0.5 where it applies", "a rate", s -> null)),
            s -> new StandardDropout(s.number("q")));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> misread.create(Settings.of(Map.of(), "dropout spec 'misread'")));
    assertEquals(
        "'q' does not apply in dropout spec 'misread' (its parameter's rule gives no default)",
        e.getMessage());
  }

  private static String listed(String method, String parameter) {
    return DropoutMethods.find(method).orElseThrow().parameters().stream()
        .filter(p -> p.name().equals(parameter))
        .findFirst()
        .orElseThrow()
        .defaultValue();
  }
}
