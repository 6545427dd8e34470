package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {
  static Dataset numbered(int n) {
    float[] x = new float[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = -i;
      y[i] = i % 3;
    }
    return new Dataset(x, y, 2, 3);
  }

  @Test
  void permutationIsAPermutationFixedBySeed() {
    int[] a = Dataset.permutation(1000, 5);
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, sorted[i]);
    }
    assertArrayEquals(a, Dataset.permutation(1000, 5));
    assertFalse(Arrays.equals(a, Dataset.permutation(1000, 6)));
  }

  @Test
  void splitPartitionsTheExamplesDeterministically() {
    Dataset d = numbered(100);
    Dataset.Split s = d.split(0.2, 9);
    assertEquals(80, s.train().size());
    assertEquals(20, s.validation().size());
    Set<Float> seen = new HashSet<>();
    for (Dataset part : new Dataset[] {s.train(), s.validation()}) {
      for (int i = 0; i < part.size(); i++) {
        float id = part.features()[2 * i];
        assertEquals(-id, part.features()[2 * i + 1], 0f, "rows stay whole");
        assertEquals(((int) id) % 3, part.labels()[i], "labels travel with their rows");
        seen.add(id);
      }
    }
    assertEquals(100, seen.size(), "every example lands in exactly one part");
    assertArrayEquals(s.validation().features(), d.split(0.2, 9).validation().features());
  }

  @Test
  void concatKeepsBothInOrder() {
    Dataset a = new Dataset(new float[] {1, 2, 3, 4}, new int[] {0, 1}, 2, 2);
    Dataset b = new Dataset(new float[] {5, 6}, new int[] {2}, 2, 3);
    Dataset both = a.concat(b);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, both.features());
    assertArrayEquals(new int[] {0, 1, 2}, both.labels());
    assertEquals(3, both.classCount());
    assertThrows(
        IllegalArgumentException.class,
        () -> a.concat(new Dataset(new float[] {1}, new int[] {0}, 1, 1)));
  }
}
