package dev.dropwise.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read as what it should be (an IDX file, a table, a model's metadata): the
 * message names the file and what is wrong with it.
 */
public final class DataFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** {@code problem} with {@code file}; the message is the file, a colon and the problem. */
  public DataFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
