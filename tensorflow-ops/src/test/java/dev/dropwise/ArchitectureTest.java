package dev.dropwise;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's packages form layers, each using only those below it (DESIGN.md, "Layers of the
 * house"); a dependency upwards, or any cycle between packages, fails here with the classes that
 * cause it.
 */
class ArchitectureTest {
  /** From the bottom up. */
  static final List<String> LAYERS =
      List.of(
          "util",
          "data",
          "ops",
          "network",
          "importance",
          "schedule",
          "dropout",
          "model",
          "train",
          "export",
          "interop",
          "analysis",
          "prune",
          "experiments",
          "report",
          "bench",
          "cli");

  static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.dropwise");
  }

  @Test
  void everyPackageIsALayer() {
    List<String> packages =
        core.stream()
            .map(c -> c.getPackageName().replaceFirst("^dev\\.dropwise\\.?", ""))
            .map(p -> p.contains(".") ? p.substring(0, p.indexOf('.')) : p)
            .distinct()
            .sorted()
            .toList();
    org.junit.jupiter.api.Assertions.assertEquals(
        LAYERS.stream().sorted().toList(), packages, "a new package needs its place in LAYERS");
  }

  @Test
  void noPackageUsesOneAboveIt() {
    for (int i = 0; i < LAYERS.size() - 1; i++) {
      String[] above =
          LAYERS.subList(i + 1, LAYERS.size()).stream()
              .map(p -> "dev.dropwise." + p + "..")
              .toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage("dev.dropwise." + LAYERS.get(i) + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(above)
          .because(
              LAYERS.get(i)
                  + " lies below "
                  + String.join(", ", LAYERS.subList(i + 1, LAYERS.size())))
          .check(core);
    }
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("dev.dropwise.(*)..").should().beFreeOfCycles().check(core);
  }
}
