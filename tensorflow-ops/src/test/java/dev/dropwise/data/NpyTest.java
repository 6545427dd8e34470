package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  @Test
  void roundTripsWithANumpyHeader() throws Exception {
    float[] data = {1f, -2.5f, 3e-8f, Float.MAX_VALUE, 0f, 7f};
    Path file = dir.resolve("a.npy");
    Npy.write(file, data, 2, 3);
    byte[] bytes = Files.readAllBytes(file);
    int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
    assertEquals(0, (10 + headerLength) % 64, "NumPy aligns the data to 64 bytes");
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.trim());
    Npy.Array back = Npy.read(file);
    assertArrayEquals(new long[] {2, 3}, back.shape());
    assertArrayEquals(data, back.data());
    assertTrue(
        Npy.OWN.isOwn().test(file), "dropwise knows the file as its own by its header's padding");
    // NumPy itself reads the file, note and all, to the same values.
    TableSourcesTest.numpy(
        dir,
        """
            a = np.load('a.npy')
            assert a.dtype == np.float32 and a.shape == (2, 3), (a.dtype, a.shape)
            assert (a == np.array([[1, -2.5, 3e-8], [np.finfo(np.float32).max, 0, 7]], dtype=np.float32)).all(), a
            np.save('numpys.npy', a)
            """);
    assertFalse(
        Npy.OWN.isOwn().test(dir.resolve("numpys.npy")),
        "a file NumPy wrote is not dropwise's to replace");
    assertArrayEquals(data, Npy.read(dir.resolve("numpys.npy")).data());
    Npy.write(file, new float[] {4f}, 1);
    assertArrayEquals(new long[] {1}, Npy.read(file).shape());
  }

  /** A dtype size too long for an int (a fuzzer's find) is refused as unsupported. */
  @Test
  void aDtypeSizeOfManyDigitsIsRefusedAsUnsupported() throws Exception {
    Path file = dir.resolve("long.npy");
    Npy.write(file, new float[] {1f}, 1);
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    // The same header length: '<f4', then padding spaces, becomes '<f4444444444444444444449'.
    String header = text.substring(10, text.indexOf('\n'));
    String changed = header.replace("'<f4'", "'<f4444444444444444444449'");
    changed = changed.substring(0, header.length() - 1) + "\n";
    byte[] out =
        (text.substring(0, 10) + changed + text.substring(text.indexOf('\n') + 1))
            .getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, out);
    DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(file));
    assertTrue(
        e.getMessage().contains("<f4444444444444444444449' is not supported"), e.getMessage());
  }
}
