package dev.dropwise.report;

import dev.dropwise.dropout.DropoutMethods;
import dev.dropwise.util.Json;
import dev.dropwise.util.ParameterException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/** What the studies' plans share: their JSON resource, their seeds, their two budgets. */
final class PlanResource {
  private PlanResource() {}

  /** The JSON resource {@code name} beside {@code owner}, read as {@code type}. */
  static <T> T read(Class<?> owner, String name, Class<T> type) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      return Json.MAPPER.readValue(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException("the plan resource " + name + " cannot be read", e);
    }
  }

  /** Seeds 1 to {@code n}. */
  static List<Long> seeds(int n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  /**
   * Refuses a method of {@code methods} that no plugin on the classpath provides and {@code
   * plugins} (method name to how to get it) knows of, with that advice.
   */
  static void checkPlugins(List<String> methods, Map<String, String> plugins) {
    for (String method : methods) {
      String name = method.contains(":") ? method.substring(0, method.indexOf(':')) : method;
      if (DropoutMethods.find(name).isEmpty() && plugins.containsKey(name)) {
        throw new IllegalArgumentException(plugins.get(name));
      }
    }
  }

  /** The budget named {@code small} or {@code full}; any other name is refused. */
  static <B> B named(String name, B small, B full) {
    return switch (name) {
      case "full" -> full;
      case "small" -> small;
      default -> throw new ParameterException("budget", name, "not allowed; use small or full");
    };
  }
}
