package org.millicent.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the numbers of an operator's dashboard page (org.millicent.http.DashboardPage) as a test
 * sees them without a browser: the exact value ({@code data-v}) of a cell in a row of a named
 * table. Stateless.
 */
public final class DashboardTables {
  private static final Pattern VALUE = Pattern.compile("data-v=\"(-?\\d+)\"");
  private static final Pattern CELL = Pattern.compile("<t[hd][^>]*>");

  private DashboardTables() {}

  /**
   * The exact value of the {@code column}th cell (0 = the row's first) of the row of table {@code
   * table} whose first cell starts with {@code first}.
   *
   * @throws AssertionError when there is no such table, row, column or number
   */
  public static long cell(String html, String table, String first, int column) {
    String r = row(html, table, first);
    Matcher v = VALUE.matcher(r);
    // Cells before the first numeric one hold text; count all cells to find the column.
    Matcher cells = CELL.matcher(r);
    int i = 0;
    while (cells.find()) {
      if (i == column) {
        if (!v.find(cells.start())) {
          throw new AssertionError("no number in column " + column + " of " + r);
        }
        return Long.parseLong(v.group(1));
      }
      i++;
    }
    throw new AssertionError("no column " + column + " in " + r);
  }

  /**
   * The row of table {@code table} whose first cell starts with {@code first}, as HTML.
   *
   * @throws AssertionError when there is no such table or row
   */
  public static String row(String html, String table, String first) {
    int start = html.indexOf("<table id=\"" + table + "\"");
    if (start < 0) {
      throw new AssertionError("no table " + table);
    }
    String t = html.substring(html.indexOf("<tbody>", start), html.indexOf("</table>", start));
    Matcher m =
        Pattern.compile("<tr[^>]*><t[hd][^>]*>" + Pattern.quote(first) + "[^<]*</t[hd]>.*?</tr>")
            .matcher(t);
    if (!m.find()) {
      throw new AssertionError("no row " + first + " in table " + table);
    }
    return m.group();
  }

  /**
   * Whether the page has a row of table {@code table} whose first cell starts with {@code first}.
   */
  public static boolean hasRow(String html, String table, String first) {
    try {
      row(html, table, first);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }
}
