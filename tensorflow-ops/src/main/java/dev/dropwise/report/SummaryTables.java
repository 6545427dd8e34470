package dev.dropwise.report;

import dev.dropwise.experiments.Comparison.Run;
import dev.dropwise.experiments.Comparison.Summary;
import dev.dropwise.util.Html;
import dev.dropwise.util.TextTable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one set of renderers for a comparison's results: the command line prints {@link #table},
 * writes {@link #csv}, {@link #markdown} and {@link #html}; the report embeds the Markdown; the DSL
 * and the Jupyter integration show the same text and HTML.
 */
public final class SummaryTables {
  private SummaryTables() {}

  /**
   * One line per method, as plain text for a terminal; a "failed" column only when a run failed.
   */
  public static String table(List<Summary> summaries) {
    boolean anyFailed = summaries.stream().anyMatch(s -> s.failed() > 0);
    TextTable table =
        anyFailed
            ? new TextTable(
                "method", "test accuracy", "test loss", "epochs", "seconds/run", "failed")
            : new TextTable("method", "test accuracy", "test loss", "epochs", "seconds/run");
    for (Summary s : summaries) {
      Object[] cells = {
        s.method(),
        meanStd(s.accuracyMean(), s.accuracyStd(), s.runs()),
        meanStd(s.lossMean(), s.lossStd(), s.runs()),
        s.epochs(),
        String.format(Locale.ROOT, "%.1f", s.secondsMean()),
        s.failed()
      };
      table.row(anyFailed ? cells : Arrays.copyOf(cells, 5));
    }
    return table.toString();
  }

  /** The same table as Markdown. */
  public static String markdown(List<Summary> summaries) {
    StringBuilder md =
        new StringBuilder(
                "| method | test accuracy | test loss | runs | failed | epochs | seconds/run |\n")
            .append("|---|---|---|---|---|---|---|\n");
    for (Summary s : summaries) {
      md.append("| `")
          .append(s.method())
          .append("` | ")
          .append(meanStd(s.accuracyMean(), s.accuracyStd(), s.runs()))
          .append(" | ")
          .append(meanStd(s.lossMean(), s.lossStd(), s.runs()))
          .append(" | ")
          .append(s.runs())
          .append(" | ")
          .append(s.failed())
          .append(" | ")
          .append(s.epochs())
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.1f", s.secondsMean()))
          .append(" |\n");
    }
    return md.toString();
  }

  /** The same table as HTML: the command line's results.html and the notebooks show this one. */
  public static String html(List<Summary> summaries) {
    StringBuilder html =
        new StringBuilder(
            "<table><tr><th>method</th><th>test accuracy</th><th>test loss</th><th>runs</th>"
                + "<th>failed</th><th>epochs</th><th>seconds/run</th></tr>");
    for (Summary s : summaries) {
      html.append("<tr><td>")
          .append(Html.escape(s.method()))
          .append("</td><td>")
          .append(meanStd(s.accuracyMean(), s.accuracyStd(), s.runs()))
          .append("</td><td>")
          .append(meanStd(s.lossMean(), s.lossStd(), s.runs()))
          .append("</td><td>")
          .append(s.runs())
          .append("</td><td>")
          .append(s.failed())
          .append("</td><td>")
          .append(s.epochs())
          .append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", s.secondsMean()))
          .append("</td></tr>");
    }
    return html.append("</table>").toString();
  }

  /** Every run, one CSV row each (a failed run with its error). */
  public static String csv(List<Run> runs) {
    StringBuilder csv =
        new StringBuilder("method,seed,test_loss,test_accuracy,epochs,seconds,error\n");
    for (Run r : runs) {
      csv.append('"')
          .append(r.method())
          .append("\",")
          .append(r.seed())
          .append(',')
          .append(r.testLoss())
          .append(',')
          .append(r.testAccuracy())
          .append(',')
          .append(r.epochs())
          .append(',')
          .append(r.seconds())
          .append(',')
          .append(r.failed() ? '"' + r.error().replace('"', '\'') + '"' : "")
          .append('\n');
    }
    return csv.toString();
  }

  /** {@code mean ± std}, just the mean for a single run, {@code -} for none. */
  public static String meanStd(double mean, double std, int runs) {
    if (runs == 0) {
      return "-";
    }
    return runs < 2
        ? String.format(Locale.ROOT, "%.4f", mean)
        : String.format(Locale.ROOT, "%.4f ± %.4f", mean, std);
  }
}
