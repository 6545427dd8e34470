package dev.dropwise.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dropwise.data.Dataset;
import dev.dropwise.dropout.NoDropout;
import dev.dropwise.importance.InputAttributions;
import dev.dropwise.importance.InputSpace;
import dev.dropwise.model.ModelSpec;
import dev.dropwise.network.Activation;
import dev.dropwise.network.Initializer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The class an explanation is for, and the analyses' refusals of inputs that do not fit. */
class ExplainedClassAndChecksTest {
  static final List<String> NAMES = List.of("cat", "dog", "fox");

  @Test
  void aClassIsReadByNameOrIndexAndOneClassLabelsEveryExample() {
    assertEquals(
        ExplainedClass.PREDICTED, ExplainedClass.parse("--target", " Predicted ", NAMES, 3));
    assertEquals(ExplainedClass.LABEL, ExplainedClass.parse("--target", "label", NAMES, 3));
    ExplainedClass dog = ExplainedClass.parse("--target", "dog", NAMES, 3);
    assertEquals(dog, ExplainedClass.parse("--target", "1", NAMES, 3));
    assertEquals("class dog", dog.text(NAMES));
    assertEquals("predicted class", ExplainedClass.PREDICTED.text(NAMES));
    Dataset data = new Dataset(new float[] {1, 2}, new int[] {0, 2}, 1, 3);
    assertArrayEquals(new int[] {1, 1}, dog.labelled(data).labels());
    assertArrayEquals(new int[] {0, 2}, ExplainedClass.LABEL.labelled(data).labels());
    assertEquals(
        "--target 3 is not allowed; use predicted, label, or a class index from 0 to 2",
        assertThrows(
                IllegalArgumentException.class,
                () -> ExplainedClass.parse("--target", "3", null, 3))
            .getMessage());
    assertEquals(
        "--target wolf is not allowed; use predicted, label, a class index from 0 to 2 or one of"
            + " the model's classes: cat, dog, fox",
        assertThrows(
                IllegalArgumentException.class,
                () -> ExplainedClass.parse("--target", "wolf", NAMES, 3))
            .getMessage());
    assertEquals(
        List.of("#1 cat", "#2 fox → dog"),
        InputExplainer.captions(new int[] {0, 2}, new int[] {0, 1}, NAMES));
  }

  @Test
  void inputsThatDoNotFitAreRefusedWithWhatTheyHoldAndWhatIsAllowed() {
    ModelSpec spec =
        ModelSpec.mlp(2, List.of(3), Activation.RELU, Initializer.HE_UNIFORM, new NoDropout(), 2);
    Map<String, float[]> w =
        Map.of(
            "dense_0_kernel", new float[6],
            "dense_0_bias", new float[3],
            "dense_1_kernel", new float[6],
            "dense_1_bias", new float[2]);
    Dataset data = new Dataset(new float[] {1, 2, 3, 4}, new int[] {0, 1}, 2, 2);
    assertEquals(
        "the baseline has 3 values; the model takes 2 features (or give 1)",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    InputExplainer.explain(
                        spec,
                        w::get,
                        InputAttributions.parse("integrated-gradients"),
                        InputSpace.unit().withBaseline(new float[] {0, 0, 0}),
                        data,
                        ExplainedClass.PREDICTED))
            .getMessage());
    assertEquals(
        "steps=3 is not allowed: from 1 to the 2 features",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Faithfulness.curve(
                        spec,
                        w::get,
                        "r",
                        new float[4],
                        data,
                        new float[] {0},
                        new int[2],
                        3,
                        true))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Faithfulness.curve(
                spec, w::get, "r", new float[3], data, new float[] {0}, new int[2], 1, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> RankCorrelation.spearman(new float[] {1}, new float[] {1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> RankCorrelation.spearman(new float[] {1, 2}, new float[] {1, 2, 3}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RelevanceMaps("r", List.of(2), new float[4], new float[2], List.of("a", "b")));
    RelevanceMaps table =
        new RelevanceMaps("r", List.of(2), new float[4], new float[4], List.of("a", "b"));
    assertFalse(table.images());
    assertEquals(2, table.size());
    assertArrayEquals(
        new int[] {1, 1},
        InputExplainer.classes(
            spec, w::get, data, ExplainedClass.parse("t", "1", List.of("a", "b"), 2)));
  }
}
