package dev.dropwise.data;

import dev.dropwise.util.ParameterException;
import dev.dropwise.util.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where examples come from, as {@code --data} writes it:
 *
 * <pre>
 *   fashion-mnist              the system copy (dataset-fashion-mnist), else the embedded subset
 *   embedded                   the subset inside the jar
 *   idx:DIR  (or DIR)          the four Fashion-MNIST IDX files in DIR
 *   csv:PATH[,label=NAME|INDEX][,header=true|false][,sep=C]
 *   npy:X.npy,Y.npy            X [N, features], [N, H, W] or [N, H, W, C]; Y integer labels [N]
 *   images:DIR                 one subfolder of PNG or JPEG images per class
 * </pre>
 *
 * @param text what the user wrote, for messages
 * @param parameter the option it came from ("data", "testData"), for messages
 */
public record DataSource(
    String text, String parameter, Kind kind, List<Path> paths, Settings settings) {

  /** The kinds of source. */
  public enum Kind {
    /** {@code fashion-mnist}: the system copy, else the embedded subset. */
    FASHION_MNIST,
    /** {@code embedded}: the Fashion-MNIST subset inside the jar. */
    EMBEDDED,
    /** {@code idx:DIR} (or a bare directory): the four Fashion-MNIST IDX files in a directory. */
    IDX,
    /** {@code csv:PATH}: a table of numeric feature columns and one label column. */
    CSV,
    /** {@code npy:X.npy,Y.npy}: NumPy arrays of features and integer labels. */
    NPY,
    /** {@code images:DIR}: one subfolder of PNG or JPEG images per class. */
    IMAGES
  }

  /** What a source gives: examples, and a test set of its own (IDX) or null. */
  public record Read(LabelledExamples examples, LabelledExamples test) {}

  /** Reads {@code text}; a path that does not exist is refused here, before anything loads. */
  public static DataSource parse(String text, String parameter) {
    String t = text.trim();
    if (t.isEmpty()) {
      throw new ParameterException(
          parameter,
          "''",
          "is empty; give fashion-mnist, embedded, idx:DIR, csv:PATH, "
              + "npy:X.npy,Y.npy or images:DIR");
    }
    if (t.equals("fashion-mnist")) {
      return new DataSource(t, parameter, Kind.FASHION_MNIST, List.of(), null);
    }
    if (t.equals("embedded")) {
      return new DataSource(t, parameter, Kind.EMBEDDED, List.of(), null);
    }
    int colon = t.indexOf(':');
    String scheme = colon < 0 ? "" : t.substring(0, colon);
    String rest = colon < 0 ? t : t.substring(colon + 1);
    DataSource source;
    switch (scheme) {
      case "idx" ->
          source =
              new DataSource(t, parameter, Kind.IDX, List.of(path(rest, parameter, text)), null);
      case "images" ->
          source =
              new DataSource(t, parameter, Kind.IMAGES, List.of(path(rest, parameter, text)), null);
      case "npy" -> {
        String[] files = rest.split(",", -1);
        if (files.length != 2) {
          throw new ParameterException(
              parameter, text, "npy: takes two files, X.npy,Y.npy (features and labels)");
        }
        source =
            new DataSource(
                t,
                parameter,
                Kind.NPY,
                List.of(
                    path(files[0].trim(), parameter, text), path(files[1].trim(), parameter, text)),
                null);
      }
      case "csv" -> {
        int comma = rest.indexOf(',');
        Path file = path(comma < 0 ? rest : rest.substring(0, comma), parameter, text);
        Settings settings =
            Settings.parse(
                comma < 0 ? "" : rest.substring(comma + 1), parameter + " '" + text + "'");
        settings.allowOnly(List.of("label", "header", "sep"));
        if (settings.containsKey("header")) {
          settings.choice("header", "true", "true", "false");
        }
        if (settings.containsKey("sep")
            && settings.get("sep").length() != 1
            && !settings.get("sep").equals("tab")) {
          throw new ParameterException(
              parameter, text, "sep=" + settings.get("sep") + " is not one character (or tab)");
        }
        source = new DataSource(t, parameter, Kind.CSV, List.of(file), settings);
      }
      default -> {
        if (colon < 0 && Files.isDirectory(path(t, parameter, text))) {
          return new DataSource(
              t,
              parameter,
              Kind.IDX,
              List.of(path(t, parameter, text)),
              null); // today's form: a directory of IDX files
        }
        throw new ParameterException(
            parameter,
            text,
            colon < 0
                ? "no such directory; give fashion-mnist, embedded, idx:DIR, csv:PATH, npy:X.npy,Y.npy or images:DIR"
                : "unknown kind '"
                    + scheme
                    + "'; allowed: idx, csv, npy, images (or fashion-mnist, embedded)");
      }
    }
    for (Path p : source.paths()) {
      boolean directory = source.kind() == Kind.IDX || source.kind() == Kind.IMAGES;
      if (directory ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
        throw new ParameterException(
            parameter,
            text,
            !Files.exists(p)
                ? (directory ? "no such directory: " : "no such file: ") + p
                : p
                    + (directory
                        ? " is not a directory; "
                            + source.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + ": takes a directory"
                        : (Files.isDirectory(p) ? " is a directory; " : " is not a regular file; ")
                            + source.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + ": takes a file"));
      }
    }
    return source;
  }

  /** {@code text} as a path, or refused when it cannot be one (a NUL character). */
  private static Path path(String path, String parameter, String text) {
    try {
      return Path.of(path);
    } catch (InvalidPathException e) {
      throw new ParameterException(
          parameter, text, "'" + path + "' is not a path: " + e.getReason());
    }
  }

  /** Whether the source comes with a test set of its own. */
  public boolean hasTestSet() {
    return kind == Kind.FASHION_MNIST || kind == Kind.EMBEDDED || kind == Kind.IDX;
  }

  /**
   * Reads the source; {@code known}: the classes to look labels up in (a test set's training
   * data's, or a model's; else null); {@code imageSize}: the size images are resized to, or null.
   */
  public Read read(KnownClasses known, List<Integer> imageSize) throws IOException {
    return switch (kind) {
      case FASHION_MNIST ->
          fashionMnist(
              FashionMnist.hasFiles(FashionMnist.SYSTEM_DIRECTORY)
                  ? FashionMnist.readRaw(FashionMnist.SYSTEM_DIRECTORY)
                  : FashionMnist.readEmbeddedRaw());
      case EMBEDDED -> fashionMnist(FashionMnist.readEmbeddedRaw());
      case IDX -> fashionMnist(FashionMnist.readRaw(paths.get(0)));
      case CSV -> {
        String sep = settings.getOrDefault("sep", ",");
        yield new Read(
            new CsvTable(
                    paths.get(0),
                    settings.containsKey("label") ? settings.get("label") : null,
                    settings.containsKey("header") ? Boolean.valueOf(settings.get("header")) : null,
                    sep.equals("tab") ? '\t' : sep.charAt(0))
                .read(known),
            null);
      }
      case NPY -> new Read(NpyPair.read(paths.get(0), paths.get(1), known), null);
      case IMAGES -> new Read(new ImageFolder(paths.get(0), imageSize).read(known), null);
    };
  }

  private static Read fashionMnist(FashionMnist.Raw raw) {
    List<String> names = FashionMnist.CLASS_NAMES;
    List<Integer> shape = List.of(28, 28, 1);
    return new Read(
        new LabelledExamples(raw.train(), names, shape, true, raw.description()),
        new LabelledExamples(raw.test(), names, shape, true, raw.description()));
  }
}
