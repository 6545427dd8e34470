package dev.dropwise.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes that never leave a half-written result: the content goes to a temporary sibling, which is
 * then renamed over the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code text} to {@code target} as UTF-8, atomically. */
  public static void write(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} to {@code target}, atomically, creating its parent directories. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.write(tmp, bytes);
      permit(tmp, "rw-r--r--");
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The file that marks a temporary directory beside a target ({@code .NAME.<digits>}) as
   * dropwise's: only a directory holding it is ever removed as what an interrupted write left
   * ({@link #removeStaleStaging}); a directory of the user's with such a name is left alone.
   */
  public static final String STAGING_MARKER = ".dropwise-staging";

  /**
   * A fresh temporary directory beside {@code target}, marked as dropwise's, to write {@code
   * target}'s new content into before {@link #replaceDirectory} puts it in place (which removes the
   * mark).
   */
  public static Path stagingDirectory(Path target) throws IOException {
    Path dir = siblingTempDirectory(target);
    Files.createFile(dir.resolve(STAGING_MARKER));
    return dir;
  }

  private static Path siblingTempDirectory(Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    return permit(Files.createTempDirectory(parent, "." + target.getFileName() + "."), "rwxr-xr-x");
  }

  /**
   * Removes the temporary directories that interrupted writes of {@code target} left beside it:
   * those named {@code .NAME.<digits>} that hold the {@value #STAGING_MARKER} mark, and nothing
   * else.
   */
  public static void removeStaleStaging(Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      return;
    }
    Pattern staging =
        Pattern.compile("\\." + Pattern.quote(target.getFileName().toString()) + "\\.\\d+");
    for (String name : OutputDirectories.entries(parent)) {
      Path dir = parent.resolve(name);
      if (staging.matcher(name).matches()
          && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
          && Files.isRegularFile(dir.resolve(STAGING_MARKER), LinkOption.NOFOLLOW_LINKS)) {
        deleteRecursively(dir);
      }
    }
  }

  /**
   * Temporary files and directories are created private (0600 / 0700); what they become is an
   * ordinary output, so it gets the usual permissions where the file system has POSIX ones.
   */
  private static Path permit(Path path, String permissions) throws IOException {
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
    return path;
  }

  /**
   * Puts the complete directory {@code staged} in place of {@code target}: an old target is moved
   * aside first and deleted only once the new one is in place.
   */
  public static void replaceDirectory(Path staged, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = siblingTempDirectory(target);
      Files.delete(old);
      move(target, old);
      Files.createFile(old.resolve(STAGING_MARKER)); // to be deleted: debris if interrupted now
    }
    Files.deleteIfExists(staged.resolve(STAGING_MARKER));
    move(staged, target);
    if (old != null) {
      deleteRecursively(old);
    }
  }

  /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
