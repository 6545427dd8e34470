package dev.dropwise.cli;

import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.importance.ImportanceMeasures;
import dev.dropwise.importance.InputAttributions;
import dev.dropwise.schedule.RateSchedules;
import dev.dropwise.util.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code dropwise methods}: every registered dropout method (plugins on the classpath included) and
 * its settings.
 */
@Command(
    name = "methods",
    mixinStandardHelpOptions = true,
    description =
        "List the dropout methods --dropout and --methods accept and the importance measures --importance "
            + "accepts and the rate schedules (built-in and plugins on the classpath), with their settings and defaults; name a "
            + "method for it alone.")
final class MethodsCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "METHOD", description = "Show only this method.")
  String only;

  @Override
  public Integer call() {
    if (only != null) {
      // A method, a measure, a schedule or an input attribution: every registry that has the name
      // shows its entry (lrp is both a dropout method and an input attribution).
      List<List<? extends Registry.Entry<?>>> registries =
          List.of(
              DropoutMethods.all(),
              ImportanceMeasures.all(),
              RateSchedules.all(),
              InputAttributions.all());
      List<Registry.Entry<?>> found = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (List<? extends Registry.Entry<?>> registry : registries) {
        registry.stream()
            .filter(
                e ->
                    e.name().equalsIgnoreCase(only.trim())
                        || e.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(only.trim())))
            .findFirst()
            .ifPresent(found::add);
        registry.stream()
            .map(Registry.Entry::name)
            .filter(n -> !names.contains(n))
            .forEach(names::add);
      }
      if (found.isEmpty()) {
        throw new IllegalArgumentException(
            "METHOD '"
                + only
                + "' is not a registered dropout method, importance measure, schedule or input attribution; allowed: "
                + String.join(", ", names));
      }
      found.forEach(MethodsCommand::print);
    } else {
      DropoutMethods.all().forEach(MethodsCommand::print);
      System.out.println("\nImportance measures (explain --importance, pfid:importance=...):");
      ImportanceMeasures.all().forEach(MethodsCommand::print);
      System.out.println("\nRate schedules (standard:p=NAME or standard:p=NAME(key=value,...)):");
      RateSchedules.all().forEach(MethodsCommand::print);
      System.out.println("\nInput attributions (explain --input=NAME):");
      InputAttributions.all().forEach(MethodsCommand::print);
    }
    System.out.println(
        "\nWrite a method as NAME:key=value,...; a method of your own registers the same way "
            + "(docs/guide/extending.md, \"Methods of your own\").");
    return 0;
  }

  /** An entry's line (name, aliases, summary), then a line per setting: name, default, meaning. */
  private static void print(Registry.Entry<?> entry) {
    System.out.println(
        entry.name()
            + (entry.aliases().isEmpty() ? "" : " (" + String.join(", ", entry.aliases()) + ")")
            + "  "
            + entry.summary());
    // The defaults' column as wide as this entry's longest (a conditional default says its rule).
    int width =
        entry.parameters().stream().mapToInt(p -> p.defaultValue().length()).max().orElse(0);
    for (Registry.Parameter p : entry.parameters()) {
      System.out.printf(
          "    %-12s %-" + Math.max(10, width) + "s  %s%n", p.name(), p.defaultValue(), p.doc());
    }
  }
}
