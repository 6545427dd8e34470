package dev.dropwise.data;

import java.io.IOException;
import java.nio.file.Path;

/** An IDX file that cannot be read as one: the message names the file and what is wrong with it. */
public final class DataFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
