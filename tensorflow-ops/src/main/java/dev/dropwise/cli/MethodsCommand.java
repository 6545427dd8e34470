package dev.dropwise.cli;

import dev.dropwise.dropout.DropoutMethod;
import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.importance.ImportanceMeasure;
import dev.dropwise.importance.ImportanceMeasures;
import dev.dropwise.schedule.RateSchedules;
import dev.dropwise.schedule.ScheduleKind;
import dev.dropwise.util.Registry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dropwise methods}: every registered dropout method (plugins on the classpath included) and its settings. */
@Command(name = "methods", mixinStandardHelpOptions = true,
    description = "List the dropout methods --dropout and --methods accept and the importance measures --importance "
        + "accepts and the rate schedules (built-in and plugins on the classpath), with their settings and defaults; name a "
        + "method for it alone.")
final class MethodsCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "METHOD", description = "Show only this method.")
  String only;

  @Override
  public Integer call() {
    if (only != null && DropoutMethods.find(only).isEmpty()) {
      throw new IllegalArgumentException("METHOD " + only + " is not a registered dropout method; allowed: "
          + String.join(", ", DropoutMethods.all().stream().map(DropoutMethod::name).toList()));
    }
    for (DropoutMethod method : DropoutMethods.all()) {
      if (only != null && DropoutMethods.find(only).orElseThrow() != method) {
        continue;
      }
      print(method);
    }
    if (only == null) {
      System.out.println("\nImportance measures (explain --importance, pfid:importance=...):");
      for (ImportanceMeasure measure : ImportanceMeasures.all()) {
        print(measure);
      }
      System.out.println("\nRate schedules (scheduled:schedule=NAME,...):");
      for (ScheduleKind kind : RateSchedules.all()) {
        print(kind);
      }
    }
    System.out.println("\nWrite a method as NAME:key=value,...; a method of your own registers the same way "
        + "(README, \"Methods of your own\").");
    return 0;
  }

  /** An entry's line (name, aliases, summary), then a line per setting: name, default, meaning. */
  private static void print(Registry.Entry entry) {
    System.out.println(entry.name() + (entry.aliases().isEmpty() ? "" : " (" + String.join(", ", entry.aliases()) + ")")
        + "  " + entry.summary());
    for (Registry.Parameter p : entry.parameters()) {
      System.out.printf("    %-12s %-10s %s%n", p.name(), p.defaultValue(), p.doc());
    }
  }
}
