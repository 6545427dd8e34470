package dev.dropwise.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * tensorflow-framework 1.0.0's Adam, with one fix: β₁ᵗ and β₂ᵗ advance only after the step's
 * updates have read them. The framework's {@code finish} assigns them with no control dependency on
 * the updates, so each {@code ApplyAdam} races with the assignment and reads βᵗ or βᵗ⁺¹ as the
 * threads fall: the same seed then gave different weights from run to run (seen: test accuracy
 * 0.8606 and 0.8574 from two identical 2-epoch trainings). TensorFlow's Python Adam orders them
 * (its {@code _finish} runs under the updates' control dependencies); so does this one.
 */
final class OrderedAdam extends Adam {
  OrderedAdam(Graph graph, float learningRate) {
    super(graph, learningRate);
  }

  @Override
  protected Op finish(List<Op> updates, String name) {
    Ops after = tf.withControlDependencies(updates);
    List<Op> all = new ArrayList<>(updates);
    all.add(advance(after, "beta1_power", BETA_ONE_DEFAULT));
    all.add(advance(after, "beta2_power", BETA_TWO_DEFAULT));
    return tf.withControlDependencies(all).withName(name).noOp();
  }

  /** {@code power <- power * beta}, the variable found by the name the framework gives it. */
  private Op advance(Ops after, String variable, float beta) {
    GraphOperation power = graph.operation(variable);
    if (power == null) {
      throw new IllegalStateException(
          "tensorflow-framework's Adam made no variable "
              + variable
              + ": this fix is for its version 1.0.0");
    }
    Operand<TFloat32> value = power.output(0);
    return after.assign(value, after.math.mul(value, after.constant(beta)));
  }
}
