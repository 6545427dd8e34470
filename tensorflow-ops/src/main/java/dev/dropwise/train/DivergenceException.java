package dev.dropwise.train;

import java.util.Locale;

/**
 * Training stopped because the loss or a weight stopped being a finite number. Nothing of the
 * diverged model is saved: the checkpoints written before it stay as they were, and no model is
 * returned to export.
 */
public final class DivergenceException extends RuntimeException {
  DivergenceException(String message) {
    super(message);
  }

  /** The loss of step {@code step} (0-based, in epoch {@code epoch}, 1-based) is not finite. */
  static DivergenceException loss(
      int epoch,
      long step,
      double loss,
      double lastFiniteLoss,
      long lastFiniteStep,
      OptimizerSpec optimizer) {
    String last =
        Double.isNaN(lastFiniteLoss)
            ? "no step before it had a finite loss"
            : String.format(
                Locale.ROOT,
                "the last finite loss was %.4f per example, at step %d",
                lastFiniteLoss,
                lastFiniteStep);
    return new DivergenceException(
        String.format(
            Locale.ROOT,
            "training diverged: the loss became %s at epoch %d, step %d (%s); %s",
            loss,
            epoch,
            step,
            last,
            hint(optimizer)));
  }

  /**
   * After epoch {@code epoch} (1-based) some weight is NaN or infinite although every loss was
   * finite.
   */
  static DivergenceException weights(int epoch, long step, OptimizerSpec optimizer) {
    return new DivergenceException(
        String.format(
            Locale.ROOT,
            "training diverged: a weight became NaN or infinite by the end of epoch %d (step %d); %s",
            epoch,
            step,
            hint(optimizer)));
  }

  /**
   * The validation loss after epoch {@code epoch} (1-based) is not finite although every training
   * loss was.
   */
  static DivergenceException validation(
      int epoch, long step, double loss, OptimizerSpec optimizer) {
    return new DivergenceException(
        String.format(
            Locale.ROOT,
            "training diverged: the validation loss became %s at the end of epoch %d (step %d); %s",
            loss,
            epoch,
            step,
            hint(optimizer)));
  }

  private static String hint(OptimizerSpec optimizer) {
    return "nothing was saved from this epoch on. Lower the learning rate (now "
        + optimizer.text()
        + ") and train again";
  }
}
