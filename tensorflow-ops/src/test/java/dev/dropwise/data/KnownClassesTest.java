package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels looked up in a model's classes: by name, and by number where the model's names are not
 * numbers.
 */
class KnownClassesTest {
  static final KnownClasses FASHION = KnownClasses.ofModel(FashionMnist.CLASS_NAMES);
  static final KnownClasses NUMBERED = KnownClasses.ofModel(List.of("0", "1", "2"));

  @Test
  void aLabelIsItsClassByNameOrByNumberWhereNamesAreNotNumbers() {
    assertEquals(1, FASHION.indexOf("Trouser"));
    assertEquals(
        9, FASHION.indexOf("9"), "Fashion-MNIST's classes written as their numbers, 0 to 9");
    assertEquals(-1, FASHION.indexOf("10"));
    assertEquals(-1, FASHION.indexOf("trouser"), "names are exact");
    assertEquals(2, NUMBERED.indexOf("2"));
    assertEquals(
        -1,
        NUMBERED.indexOf("3"),
        "numbered classes are matched by name only: 3 is no class of 0, 1, 2");
  }

  /**
   * A table of Fashion-MNIST rows labelled 0 to 9 (as Kaggle's CSV is), read for a model that knows
   * the names.
   */
  @Test
  void aTableNumberedZeroToNineReadsAsFashionMnistsClasses(@TempDir Path dir) throws IOException {
    Path table = dir.resolve("numbered.csv");
    Files.writeString(table, "label,a,b\n9,1,2\n0,3,4\n1,5,6\n");
    LabelledExamples read = new CsvTable(table, "label", null, ',').read(FASHION);
    assertArrayEquals(new int[] {9, 0, 1}, read.examples().labels());
    assertEquals(FashionMnist.CLASS_NAMES, read.classNames());
    Files.writeString(table, "label,a,b\n10,1,2\n0,3,4\n");
    DataFormatException e =
        assertThrows(
            DataFormatException.class, () -> new CsvTable(table, "label", null, ',').read(FASHION));
    assertTrue(
        e.getMessage().contains("line 2: label '10' is not one of the model's classes"),
        e.getMessage());
  }

  /** One row whose only text is its label is data, not a header (a test set of one example). */
  @Test
  void oneRowWithTextOnlyInItsLabelIsData(@TempDir Path dir) throws IOException {
    Path table = dir.resolve("one.csv");
    Files.writeString(table, "Trouser,0.1,0.2\n");
    LabelledExamples read = new CsvTable(table, "0", null, ',').read(FASHION);
    assertArrayEquals(new int[] {1}, read.examples().labels());
    Files.writeString(table, "label,f0,f1\n");
    DataFormatException e =
        assertThrows(
            DataFormatException.class, () -> new CsvTable(table, "0", null, ',').read(FASHION));
    assertTrue(
        e.getMessage().contains("holds one line, a header (label,f0,f1), and no data rows"),
        e.getMessage());
  }
}
