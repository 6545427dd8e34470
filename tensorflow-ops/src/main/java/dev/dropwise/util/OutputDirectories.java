package dev.dropwise.util;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rule for every directory dropwise writes results into: it must be new, empty, or one that
 * dropwise marked as its own when it first wrote there (a {@value #MARKER} file). A directory of
 * the user's with other files in it is refused, so that no result of dropwise ever lands on a file
 * of the user's with the same name. Every check names what the path is for ({@code what}: a
 * parameter or, from the CLI, an option), and runs before any work.
 */
public final class OutputDirectories {
  /** The file that marks a directory as one dropwise writes into. */
  public static final String MARKER = ".dropwise-output";

  private OutputDirectories() {}

  /**
   * Refuses {@code dir} unless dropwise may write into it and could create it: absent (with a
   * writable existing ancestor), empty, or marked.
   */
  public static void check(String what, Path dir) {
    checkNotLink(what, dir);
    if (!Files.exists(dir)) {
      checkCreatable(what, dir);
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(what + " " + dir + " is a file, not a directory");
    }
    checkTakesFiles(what, dir, dir);
    List<String> entries = entries(dir);
    if (!entries.isEmpty() && !entries.contains(MARKER)) {
      throw new IllegalArgumentException(
          what
              + " "
              + dir
              + " holds files that dropwise did not write ("
              + preview(entries)
              + "); dropwise writes only into a new or empty directory, or one it marked as its own "
              + "with a "
              + MARKER
              + " file: choose another directory");
    }
  }

  /**
   * Refuses an output path that is a symbolic link (dangling or not): writing there would replace
   * or write through a link of the user's. The real path is what to give.
   */
  public static void checkNotLink(String what, Path path) {
    if (Files.isSymbolicLink(path)) {
      String target;
      try {
        target = String.valueOf(Files.readSymbolicLink(path));
      } catch (IOException e) {
        target = "?";
      }
      throw new IllegalArgumentException(
          what
              + " "
              + path
              + " is a symbolic link (to "
              + target
              + "); dropwise writes "
              + "only to real paths, so that it never replaces a link of yours: give the path it points to");
    }
  }

  /**
   * {@link #check}, then creates {@code dir} if needed and marks it; call right before writing into
   * it.
   */
  public static Path claim(String what, Path dir) throws IOException {
    check(what, dir);
    Files.createDirectories(dir);
    Path marker = dir.resolve(MARKER);
    if (!Files.exists(marker)) {
      AtomicFiles.write(
          marker,
          "dropwise writes its results here; it deletes nothing in this directory that it did not write.\n");
    }
    return dir;
  }

  /** Refuses {@code inner} when it is {@code outer} or lies inside it. */
  public static void checkOutside(String innerWhat, Path inner, String outerWhat, Path outer) {
    if (inner != null
        && outer != null
        && inner.toAbsolutePath().normalize().startsWith(outer.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException(
          innerWhat
              + " "
              + inner
              + " is not allowed inside "
              + outerWhat
              + " "
              + outer
              + ", which is replaced as a whole: choose a path outside it");
    }
  }

  /**
   * The nearest existing ancestor must be a writable directory, so that {@code path} can be
   * created.
   */
  public static void checkCreatable(String what, Path path) {
    Path ancestor = path.toAbsolutePath().normalize().getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null) {
      return;
    }
    if (!Files.isDirectory(ancestor)) {
      throw new IllegalArgumentException(
          what + " " + path + " cannot be created: " + ancestor + " is a file");
    }
    checkTakesFiles(what, path, ancestor);
  }

  /**
   * Refuses {@code path} when the directory {@code dir} it would be written in takes no new file:
   * permissions alone do not say ({@code /proc} looks writable to root), so this creates an empty
   * temporary file there and deletes it again.
   */
  static void checkTakesFiles(String what, Path path, Path dir) {
    try {
      Files.delete(Files.createTempFile(dir, ".dropwise-probe-", ".tmp"));
    } catch (IOException | SecurityException e) {
      String reason =
          e instanceof FileSystemException f && f.getReason() != null
              ? f.getReason()
              : Errors.firstLine(e);
      throw new IllegalArgumentException(
          what
              + " "
              + path
              + " cannot be written: "
              + dir
              + " takes no new files ("
              + reason
              + ")");
    }
  }

  /** The names in {@code dir}, sorted. */
  public static List<String> entries(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException(dir + " cannot be listed: " + e.getMessage(), e);
    }
  }

  /** A few of {@code names} for a message. */
  public static String preview(List<String> names) {
    return names.size() <= 3
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
  }
}
