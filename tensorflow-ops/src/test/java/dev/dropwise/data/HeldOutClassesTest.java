package dev.dropwise.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dropwise.util.ParameterException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Classes held out of the training and test sets: exactly their examples leave both, the model's
 * classes stay, the unscaled test set brings them back, and bad names are refused.
 */
class HeldOutClassesTest {
  static long count(Dataset d, int label) {
    return Arrays.stream(d.labels()).filter(l -> l == label).count();
  }

  @Test
  void theirExamplesLeaveBothSetsAndTheRestStayInOrder() throws Exception {
    ClassificationData all = DataSpec.of("embedded").load();
    ClassificationData held =
        DataSpec.of("embedded").withOodClasses(List.of("8", "Ankle boot")).load();
    assertEquals(all.classNames(), held.classNames(), "the model keeps an output per class");
    assertEquals(List.of(8, 9), held.heldOut().indices());
    assertEquals(List.of("Bag", "Ankle boot"), held.heldOut().names());
    assertNull(all.heldOut());
    for (var pair : List.of(List.of(all.train(), held.train()), List.of(all.test(), held.test()))) {
      Dataset before = pair.get(0);
      Dataset after = pair.get(1);
      assertEquals(0, count(after, 8) + count(after, 9));
      assertEquals(before.size() - count(before, 8) - count(before, 9), after.size());
      int[] kept = IntStream.range(0, before.size()).filter(i -> before.labels()[i] < 8).toArray();
      assertArrayEquals(before.select(kept).features(), after.features(), "the rest, in order");
    }
    // The unscaled test set, as an export takes it, has every class again.
    Dataset unscaled = held.unscaledTest();
    assertEquals(all.test().size(), unscaled.size());
    assertArrayEquals(all.test().labels(), unscaled.labels());
    HeldOutClasses classes = held.heldOut();
    assertEquals(count(all.test(), 8) + count(all.test(), 9), classes.only(unscaled).size());
    assertEquals(held.test().size(), classes.without(unscaled).size());
  }

  @Test
  void aClassTheDataLacksARepeatOrEveryClassIsRefused() {
    KnownClasses known = KnownClasses.ofModel(List.of("cat", "dog", "bird"));
    assertEquals(
        "oodClasses cat,12: '12' is not one of the model's classes [cat, dog, bird]",
        assertThrows(
                ParameterException.class,
                () -> HeldOutClasses.of(List.of("cat", "12"), known, "oodClasses"))
            .getMessage());
    assertEquals(
        "oodClasses dog,1: '1' is given twice",
        assertThrows(
                ParameterException.class,
                () -> HeldOutClasses.of(List.of("dog", "1"), known, "oodClasses"))
            .getMessage());
    assertEquals(
        "oodClasses 0,1,2: holds out every class; at least one must be left to learn",
        assertThrows(
                ParameterException.class,
                () -> HeldOutClasses.of(List.of("0", "1", "2"), known, "oodClasses"))
            .getMessage());
    assertEquals(
        "classes 2 (bird)", HeldOutClasses.of(List.of("bird"), known, "oodClasses").toString());
  }
}
