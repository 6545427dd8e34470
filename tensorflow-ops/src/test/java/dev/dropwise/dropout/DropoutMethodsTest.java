package dev.dropwise.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dropwise.importance.ImportanceSpec;
import dev.dropwise.util.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DropoutMethodsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "none",
        "standard:p=0.3",
        "sector:n=8,p=0.5",
        "sector:n=16,p=0.25,mode=batch",
        "sector:n=4,p=adaptive(r0=0.3),mode=batch",
        "lrp",
        "lrp:p=0.2,rule=zplus,select=sample,tau=0.5,examples=4,target=label",
        "lrp-official",
        "ydrop",
        "ydrop:p0=0.1,muL=0.05,muH=0.15,maxL=0.1,maxH=0.3,ws=0.4,sigma=0.02,nc=3,K=2,target=label",
        "pfid",
        "pfid:form=eq13,r0=0.3,lambda=2,kappa=0.5,theta=2,update=epoch",
        "pfid:form=compounded",
        "pfid-paper",
        "alpha:p=0.2",
        "gaussian:p=0.3",
        "gaussian:p=curriculum(r=0.2)",
        "dropconnect:p=0.3",
        "scheduled:schedule=integrated",
        "spatial:p=0.2",
        "dropblock:p=0.15,block=5,ramp=0.5",
        "spatially-aware:p=0.2,protect=0.6,window=5"
      })
  void canonicalTextParsesBackToTheSameSpec(String text) {
    DropoutSpec spec = DropoutSpec.parse(text);
    assertEquals(spec, DropoutSpec.parse(spec.text()));
  }

  /**
   * For every registered built-in method, every setting at a value other than its default (in a
   * context where it matters): the spec survives text -> parse -> text, differs from the default
   * spec, and its text differs too, so run names and checkpoints tell them apart.
   */
  static final List<String> NON_DEFAULT_SETTINGS =
      List.of(
          "standard:p=0.3",
          "sector:n=4",
          "sector:p=0.25",
          "sector:mode=batch",
          "lrp:p=0.2",
          "lrp:rule=zplus",
          "lrp:select=top",
          "lrp:select=low",
          "lrp:bias=0.3",
          "lrp:mode=example,timing=current",
          "lrp:timing=current",
          "lrp:select=sample,tau=0.5",
          "lrp:select=top,scale=ema",
          "lrp:select=top,scale=ema,alpha=0.1",
          "lrp:examples=16",
          "lrp:examples=all",
          "lrp:target=label",
          "lrp:epsilon=0.01",
          "lrp:rule=gamma,gamma=0.5",
          "lrp:importance=conductance",
          "lrp:importance=conductance,steps=3",
          "lrp:importance=conductance,path=factored",
          "lrp:importance=internal-influence,target=label",
          "lrp-official:p=0.3",
          "lrp-official:select=low",
          "lrp-official:examples=8",
          "lrp-official:scale=ema",
          "ydrop:alpha=0.1",
          "ydrop:k=2",
          "ydrop:nc=3",
          "ydrop:ws=0.4",
          "ydrop:mul=0.05",
          "ydrop:muh=0.5",
          "ydrop:sigma=0.02",
          "ydrop:p0=0.3",
          "ydrop:maxl=0.2",
          "ydrop:maxh=0.7",
          "ydrop:target=label",
          "ydrop:path=factored",
          "ydrop:importance=lrp-eps",
          "ydrop:importance=lrp-eps,epsilon=0.01",
          "ydrop:importance=lrp-gamma,gamma=0.5",
          "ydrop:importance=gradient,target=label",
          "pfid:alpha=0.4",
          "pfid:importance=lrp-eps",
          "pfid:form=eq13",
          "pfid:form=eq13,r0=0.3",
          "pfid:form=eq13,lambda=2",
          "pfid:form=eq13,kappa=0.5",
          "pfid:form=eq13,theta=2",
          "pfid:update=epoch",
          "pfid:mean=0.4",
          "pfid:max=0.8",
          "pfid:examples=16",
          "pfid:target=label",
          "pfid:importance=conductance,steps=3",
          "pfid:importance=conductance,path=factored",
          "pfid:importance=lrp-eps,epsilon=0.01",
          "pfid:importance=lrp-gamma,gamma=0.5",
          "pfid-paper:alpha=0.4",
          "pfid-paper:max=0.9",
          "scheduled:schedule=constant",
          "alpha:p=0.2",
          "gaussian:p=0.3",
          "dropconnect:p=0.3",
          "spatial:p=0.2",
          "dropblock:p=0.2",
          "dropblock:block=5",
          "dropblock:ramp=0.5",
          "spatially-aware:p=0.2",
          "spatially-aware:protect=0.6",
          "spatially-aware:window=5");

  static List<String> nonDefaultSettings() {
    return NON_DEFAULT_SETTINGS;
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("nonDefaultSettings")
  void aNonDefaultSettingSurvivesItsTextAndChangesIt(String text) {
    DropoutSpec spec = DropoutSpec.parse(text);
    DropoutSpec defaults = DropoutSpec.parse(text.substring(0, text.indexOf(':')));
    assertEquals(spec, DropoutSpec.parse(spec.text()), spec.text());
    assertEquals(spec.text(), DropoutSpec.parse(spec.text()).text());
    assertTrue(!spec.equals(defaults), text + " differs from the defaults");
    assertTrue(
        !spec.text().equals(defaults.text()),
        text + " is written differently from the defaults: " + spec.text());
  }

  /**
   * A setting the rest of the spec does not use takes its default: the specs compute the same, so
   * they are equal.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "lrp:tau=0.5                     | lrp",
        "lrp:scale=ema,alpha=0.2         | lrp",
        "lrp:select=top,bias=0.3         | lrp:select=top",
        "lrp:select=top,alpha=0.3        | lrp:select=top",
        "lrp:rule=zplus,importance=lrp-zplus | lrp:rule=zplus",
        "lrp:importance=lrp-zplus        | lrp:rule=zplus",
        "ydrop:importance=conductance,nc=3 | ydrop:nc=3",
        "pfid:r0=0.3,lambda=2,kappa=3,theta=4 | pfid",
      })
  void settingsThatDoNotApplyDoNotMakeADifferentSpec(String text, String same) {
    assertEquals(DropoutSpec.parse(same), DropoutSpec.parse(text));
    assertEquals(DropoutSpec.parse(same).text(), DropoutSpec.parse(text).text());
  }

  @Test
  void everySettingOfEveryBuiltInMethodIsCoveredAbove() {
    for (Registry.Entry<DropoutSpec> method : DropoutMethods.all()) {
      if (method.getClass().getEnclosingClass() != BuiltInDropoutMethods.class
          || method.name().equals("scheduled")) {
        continue; // plugins test themselves; schedules: scheduleSettingsSurvive... below
      }
      // Methods that share their settings (lrp and lrp-official, pfid and pfid-paper) share their
      // cases.
      List<String> sharing =
          DropoutMethods.all().stream()
              .filter(m -> m.parameters().equals(method.parameters()))
              .map(m -> m.name() + ":")
              .toList();
      for (Registry.Parameter p : method.parameters()) {
        String key = p.name() + "=";
        assertTrue(
            NON_DEFAULT_SETTINGS.stream()
                .anyMatch(t -> sharing.stream().anyMatch(t::startsWith) && t.contains(key)),
            method.name() + " " + p.name() + " has no non-default case in NON_DEFAULT_SETTINGS");
      }
    }
  }

  /**
   * Every schedule setting at a value other than its default survives text -> parse -> text, inside
   * integrated too.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "constant:r=0.3",
        "adaptive:r0=0.3,alpha=0.2,thetadepth=2,thetaepoch=0.5,reading=written",
        "dynamic-alpha:r0=0.4,delta=3,lambda=0.2",
        "contextual:r0=0.3,theta=2,phi=0.5,psi=2,tmid=3",
        "annealed:start=0.6,end=0.2,epochs=3",
        "curriculum:r=0.3,gamma=2"
      })
  void scheduleSettingsSurviveTheirTextAloneAndInsideIntegrated(String schedule) {
    String name = schedule.substring(0, schedule.indexOf(':'));
    String settings = schedule.substring(schedule.indexOf(':') + 1);
    DropoutSpec alone = DropoutSpec.parse("scheduled:schedule=" + name + "," + settings);
    assertEquals(alone, DropoutSpec.parse(alone.text()));
    for (String setting : settings.split(",", -1)) {
      assertTrue(alone.text().contains(setting), alone.text() + " keeps " + setting);
    }
    DropoutSpec mixed =
        DropoutSpec.parse(
            "scheduled:schedule=integrated,of="
                + name
                + "("
                + settings.replace(',', ';')
                + ")+curriculum");
    assertEquals(mixed, DropoutSpec.parse(mixed.text()), mixed.text());
    assertEquals(mixed.text(), DropoutSpec.parse(mixed.text()).text());
    assertTrue(
        !mixed.equals(
            DropoutSpec.parse("scheduled:schedule=integrated,of=" + name + "+curriculum")));
  }

  @Test
  void integratedSchedulesThatDifferNeverShareALabel() {
    DropoutSpec low =
        DropoutSpec.parse("scheduled:schedule=integrated,of=adaptive(r0=0.3)+curriculum");
    DropoutSpec high =
        DropoutSpec.parse("scheduled:schedule=integrated,of=adaptive(r0=0.5)+curriculum");
    assertTrue(!low.text().equals(high.text()), low.text() + " vs " + high.text());
    assertEquals(
        "standard:p=integrated(of=adaptive+curriculum)",
        high.text(),
        "a part at its defaults is written by name");
    assertEquals("standard:p=integrated(of=adaptive(r0=0.3)+curriculum)", low.text());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DropoutSpec.parse("scheduled:schedule=integrated,of=adaptive(gamma=2)+curriculum"));
    assertTrue(
        e.getMessage()
            .contains(
                "unknown parameter 'gamma' in schedule 'adaptive(gamma=2)' in of=adaptive(gamma=2)+curriculum in dropout spec"),
        e.getMessage());
  }

  @Test
  void aScheduleIsTheRateOfStandardDropoutAndScheduledIsItsAlias() {
    DropoutSpec written = DropoutSpec.parse("standard:p=adaptive(r0=0.3,alpha=0.4)");
    DropoutSpec alias = DropoutSpec.parse("scheduled:schedule=adaptive,r0=0.3,alpha=0.4");
    assertEquals(written, alias);
    assertEquals("standard:p=adaptive(r0=0.3,alpha=0.4)", written.text());
    assertEquals(written.text(), alias.text(), "one text, so one run name, for both spellings");
    assertEquals(written.toString(), alias.toString());
    assertTrue(written.rateSchedule().isPresent(), "the trainer feeds its rate");
    assertTrue(!written.monteCarloAtServing(), "an export has no schedule to follow");
    assertTrue(DropoutSpec.parse("standard:p=0.3").rateSchedule().isEmpty());
    // A fixed rate's record form is what it was before schedules joined: saved runs keep their
    // names.
    assertEquals("StandardDropout[p=0.5]", new StandardDropout(0.5).toString());
    // The value form inside the alias, and spaces around the parts.
    assertEquals(written, DropoutSpec.parse("scheduled:schedule=adaptive(r0=0.3,alpha=0.4)"));
    assertEquals(written, DropoutSpec.parse("standard : p = adaptive ( r0 = 0.3 , alpha = 0.4 )"));
    // Texts of earlier versions wrote ';' between a part's settings: still read.
    assertEquals(
        DropoutSpec.parse("standard:p=integrated(of=adaptive(r0=0.3,alpha=0.4)+curriculum)"),
        DropoutSpec.parse(
            "scheduled:schedule=integrated,of=adaptive(r0=0.3;alpha=0.4)+curriculum"));
  }

  /**
   * The methods that take a schedule for {@code p} are exactly those the refusal names, and each
   * keeps its schedule through its text and its record form through the change.
   */
  @Test
  void exactlyTheListedMethodsTakeAScheduleForTheirRate() {
    List<String> taking = new java.util.ArrayList<>();
    for (var method : DropoutMethods.all()) {
      if (method.parameters().stream().noneMatch(p -> p.name().equals("p"))) {
        continue;
      }
      try {
        DropoutSpec spec = DropoutSpec.parse(method.name() + ":p=curriculum(r=0.3)");
        assertEquals(spec, DropoutSpec.parse(spec.text()));
        assertTrue(spec.rateSchedule().isPresent(), method.name());
        assertTrue(spec.text().contains("p=curriculum(r=0.3)"), spec.text());
        taking.add(method.name());
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage().contains("take a schedule"), e.getMessage());
      }
    }
    assertEquals(BuiltInDropoutMethods.SCHEDULED_RATE, taking);
    assertEquals(
        "SectorWiseDropout[n=8, p=0.5, perBatch=false]",
        new SectorWiseDropout(8, 0.5).toString(),
        "a fixed share's record form is as before: saved runs keep their names");
    assertEquals(
        "SectorWiseDropout[n=8, perBatch=false, schedule=CurriculumRate[r=0.3, gamma=1.0]]",
        DropoutSpec.parse("sector:p=curriculum(r=0.3)").toString());
  }

  /**
   * Saved runs are keyed by a spec's string form: choosing a measure added a field to Y-Drop, and
   * the paper's Y-Drop keeps the key every run saved before had; another measure gets its own.
   */
  @Test
  void yDropsKeyIsUnchangedByTheMeasureFieldAndAnotherMeasureChangesIt() {
    assertEquals(
        "YDrop[alpha=0.01, annealEpochs=1, steps=5, strongShare=0.5, muLow=0.1, muHigh=0.6,"
            + " sigma=0.05, p0=0.35, maxLow=0.25, maxHigh=0.75, target=PREDICTED]",
        DropoutSpec.parse("ydrop").toString());
    assertTrue(
        DropoutSpec.parse("ydrop:path=factored,target=label")
            .toString()
            .endsWith(", target=LABEL, factoredPath=true]"));
    String lrp = DropoutSpec.parse("ydrop:importance=lrp-eps").toString();
    assertTrue(lrp.endsWith(", importance=" + ImportanceSpec.parse("lrp-eps") + "]"), lrp);
    assertEquals(
        ImportanceSpec.parse("conductance"),
        ((ImportanceGuided) DropoutSpec.parse("ydrop")).importance());
    assertEquals(
        ImportanceSpec.parse("lrp-eps"),
        ((ImportanceGuided) DropoutSpec.parse("lrp")).importance());
    assertEquals(
        ImportanceSpec.parse("gradient"),
        ((ImportanceGuided) DropoutSpec.parse("pfid")).importance());
    // A measure's own steps cannot be written in Y-Drop's text (nc is a conductance's): refused
    // when made, not when written out.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new YDrop(
                    0.01f,
                    1,
                    5,
                    0.5f,
                    0.1f,
                    0.6f,
                    0.05f,
                    0.35f,
                    0.25f,
                    0.75f,
                    new ImportanceSpec.InternalInfluence(
                        8, dev.dropwise.importance.Target.PREDICTED)));
    assertTrue(e.getMessage().contains("Y-Drop hands its measure no steps"), e.getMessage());
  }

  @Test
  void aliasesAndDefaults() {
    assertEquals(new StandardDropout(0.5), DropoutSpec.parse("dropout"));
    assertEquals(new SectorWiseDropout(8, 0.5, false), DropoutSpec.parse("sector-wise"));
    assertEquals(new SectorWiseDropout(4, 0.5, true), DropoutSpec.parse("SECTOR:n=4,mode=batch"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "standard:p=1.5      | p=1.5 is not allowed: it must be in [0, 1)",
        "standard:p=-0.1     | p=-0.1 is not allowed",
        "sector:n=1,p=0.5    | n=1 is not allowed: n must be >= 2",
        "sector:n=8,p=0.05   | round(0.05*8) = 0 is not allowed",
        "sector:n=4,p=0.9    | round(0.9*4) = 4 is not allowed",
        "sector:n=8,p=x      | unknown schedule 'x' in p=x in dropout spec 'sector:n=8,p=x'; allowed: constant",
        "spatial:p=x         | p=x in dropout spec 'spatial:p=x' is not a number",
        "sector:n=8,q=0.5    | unknown parameter 'q' in dropout spec 'sector:n=8,q=0.5'; allowed: mode, n, p",
        "sector:n=8,mode=all | mode=all in dropout spec",
        "wavy:p=0.5          | unknown dropout method 'wavy' in 'wavy:p=0.5'; allowed: none, standard, sector",
        "scheduled:schedule=wavy | unknown schedule 'wavy' in dropout spec 'scheduled:schedule=wavy'; allowed: constant, adaptive, dynamic-alpha, contextual, annealed, curriculum, integrated",
        "standard:p          | 'p' in dropout spec 'standard:p' is not key=value",
        "standard:p=adaptive(r0=0.3 | '(' at column 11 of 'p=adaptive(r0=0.3' in dropout spec 'standard:p=adaptive(r0=0.3' is not closed",
        "standard:p=0.5)     | ')' at column 6 of 'p=0.5)' in dropout spec 'standard:p=0.5)' closes nothing",
        "standard:p=NaN      | p=NaN in dropout spec 'standard:p=NaN' is not a number",
        "standard:p=0x1p-1   | p=0x1p-1 in dropout spec 'standard:p=0x1p-1' is not a number",
        "ydrop:sigma=Infinity | sigma=Infinity in dropout spec 'ydrop:sigma=Infinity' is not a number",
        "sector:n=1.5        | n=1.5 in dropout spec 'sector:n=1.5' is not a whole number from -2147483648 to 2147483647",
        "spatial:p=adaptive  | p=adaptive in dropout spec 'spatial:p=adaptive' is not allowed: this method's rate is a number, fixed when the graph is built; standard, sector, gaussian, dropblock take a schedule (standard:p=adaptive)",
        "standard:p=adaptive(r0=0.3)(x) | has '(x)' after its closing parenthesis",
        "standard:p=adaptive(r0=2) | r0=2.0 is not allowed: it must be in [0, 1) (in schedule 'adaptive(r0=2)' in p=adaptive(r0=2) in dropout spec 'standard:p=adaptive(r0=2)')",
        "standard:p=wavy     | unknown schedule 'wavy' in p=wavy in dropout spec 'standard:p=wavy'; allowed: constant, adaptive",
        "standard:p=adaptive(r0=2) | r0=2.0 is not allowed",
        "standard:p=integrated(of=integrated) | integrated cannot contain itself",
        "lrp:p=0             | LRP-guided p=0 drops nothing; allowed: 0 < p < 1",
        "lrp:mode=example,timing=after | LRP-guided mode=example needs timing=current",
        "lrp:select=sample,tau=0 | tau=0.0 is not allowed: must be > 0",
        "lrp:select=top,scale=ema,alpha=0 | alpha=0.0 is not allowed: the elasticity must be in (0, 1]",
        "lrp:examples=0      | examples=0 is not allowed: must be >= 1",
        "lrp:p=0.6,bias=0.8  | bias=0.8 with p=0.6 is not allowed: need 0 <= bias <= 1 and p*(1+bias) < 1",
        "ydrop:alpha=2       | Y-Drop alpha=2.0 is not allowed: the elasticity must be in [0, 1]",
        "ydrop:k=-1          | Y-Drop k=-1 is not allowed: must be >= 0",
        "ydrop:nc=0          | Y-Drop nc=0 is not allowed: must be >= 1",
        "ydrop:ws=1          | Y-Drop ws=1.0 is not allowed: must be in (0, 1)",
        "ydrop:muh=1.5       | Y-Drop muh=1.5 is not allowed: a rate, in [0, 1)",
        "ydrop:maxl=0.05     | Y-Drop maxl=0.05, maxh=0.75 is not allowed: each cap must be >= its bucket's mean (mul=0.1, muh=0.6)",
        "lrp:rule=zplus,importance=conductance | rule=zplus with importance=conductance in dropout spec 'lrp:rule=zplus,importance=conductance' is not allowed: rule names an LRP measure",
        "lrp:importance=wavy | unknown importance 'wavy' in 'wavy'; allowed: lrp-eps, lrp-zplus, lrp-alpha1beta0, lrp-alpha2beta1, lrp-gamma, gradient, gradient-x-activation, conductance, internal-influence, grad-cam, activation (in dropout spec 'lrp:importance=wavy')",
        "ydrop:importance=wavy | unknown importance 'wavy' in 'wavy'; allowed: lrp-eps,",
        "ydrop:importance=lrp-eps,path=factored | path",
        "ydrop:epsilon=0.1 | unknown parameter 'epsilon' in importance 'conductance'",
        "ydrop:importance=internal-influence,steps=8 | 'steps'",
        "pfid:alpha=1.5      | PFID alpha=1.5 is not allowed: must be in [0, 1]",
        "pfid:form=eq13,r0=1 | PFID r0=1.0 is not allowed: must be in [0, 1)",
        "pfid:mean=1         | PFID mean=1.0 is not allowed: must be in [0, 1)",
        "pfid:max=0          | PFID max=0.0 is not allowed: must be in (0, 1]",
        "pfid:examples=0     | PFID examples=0 is not allowed: must be >= 1",
        "dropblock:block=0   | dropblock block=0 is not allowed: must be >= 1",
        "dropblock:ramp=2    | dropblock ramp=2.0 is not allowed: must be in [0, 1]",
        "spatially-aware:protect=1 | spatially-aware protect=1.0 is not allowed: must be in [0, 1)",
        "spatially-aware:p=0.6,protect=0.5 | spatially-aware p=0.6 with protect=0.5 is not allowed",
      })
  void badSpecsAreRefusedNamingWhatIsWrong(String text, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DropoutSpec.parse(text));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void sectorWiderThanTheLayerIsRefusedWhenTheModelIsBuilt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new SectorWiseDropout(64, 0.5).checkWidth(32));
    assertTrue(e.getMessage().contains("n=64 is wider than the layer (32 units)"), e.getMessage());
  }
}
