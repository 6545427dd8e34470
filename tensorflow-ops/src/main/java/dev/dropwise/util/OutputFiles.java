package dev.dropwise.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The rule for every file dropwise writes, the same as {@link OutputDirectories}' for directories:
 * the file must be new, or one that dropwise wrote earlier, which it recognises by how its content
 * begins (a report's title, a predictions table's header) or, for a {@code .npy}, by its header's
 * padding. A file of the user's is never replaced. Every check names what the file is for ({@code
 * what}: a parameter or, from the CLI, an option), and runs before any work: including a real
 * attempt to create a file in the directory, since permissions alone do not say whether a file
 * system takes new files ({@code /proc} looks writable to root).
 */
public final class OutputFiles {
  private OutputFiles() {}

  /**
   * How dropwise recognises a file of one kind as its own: {@code description} says it to a person
   * ("a report that begins with ..."), {@code isOwn} tests an existing file.
   */
  public record Kind(String description, Predicate<Path> isOwn) {
    /** A text file whose first bytes are one of {@code starts} in UTF-8. */
    public static Kind beginningWith(String... starts) {
      return new Kind(
          "a file that begins with '" + starts[0].strip() + "'",
          file ->
              Arrays.stream(starts)
                  .anyMatch(start -> beginsWith(file, start.getBytes(StandardCharsets.UTF_8))));
    }
  }

  /**
   * Refuses {@code file} unless it is absent and can be created, or is a file of {@code kind} that
   * dropwise wrote.
   */
  public static void check(String what, Path file, Kind kind) {
    OutputDirectories.checkNotLink(what, file);
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(what + " " + file + " is a directory; give a file name");
    }
    if (Files.exists(file) && !kind.isOwn().test(file)) {
      throw new IllegalArgumentException(
          what
              + " "
              + file
              + " is a file that dropwise did not write; dropwise replaces "
              + "only a file of its own ("
              + kind.description()
              + "): choose another name, or move the file away");
    }
    OutputDirectories.checkCreatable(what, file);
  }

  private static boolean beginsWith(Path file, byte[] start) {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(start.length), start);
    } catch (IOException e) {
      return false;
    }
  }
}
