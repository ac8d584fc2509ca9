using System.Globalization;
using System.Net;
using System.Text;

namespace Floe.Application.Wap;

/// <summary>
/// A self-contained HTML page of an audit: the verdict, the failed checks first, every check, the partitions, and one
/// inline SVG histogram per numeric column (main's share per bin beside staging's, bins at main's deciles). No
/// script, font, style sheet or image from anywhere else, so it opens the same offline and in a locked-down viewer.
/// </summary>
public static class AuditReport
{
    /// <summary>Writes <c>audit-&lt;snapshot-id&gt;.html</c> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(AuditResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"audit-{result.SnapshotId}.html");
        File.WriteAllText(path, Html(result));
        return path;
    }

    /// <summary>The page.</summary>
    public static string Html(AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var html = new StringBuilder();
        var verdict = result.Passed ? "PASSED" : "FAILED";
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Audit ").Append(E(result.Table)).Append(' ').Append(verdict).Append("</title>");
        html.Append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}")
            .Append(".fail{color:#b00020;font-weight:bold}.ok{color:#1b5e20}.hist{display:inline-block;margin:0 1.5em 1.5em 0}</style></head><body>");
        html.Append("<h1>Audit of ").Append(E(result.Table)).Append(" — <span class=\"").Append(result.Passed ? "ok" : "fail").Append("\">").Append(verdict).Append("</span></h1>");
        html.Append("<p>Branch <b>").Append(E(result.Branch)).Append("</b>, snapshot ").Append(result.SnapshotId.ToString(CultureInfo.InvariantCulture))
            .Append(", against main ").Append(result.MainSnapshotId?.ToString(CultureInfo.InvariantCulture) ?? "(empty)").Append(".</p>");

        html.Append("<h2>Checks (failed first)</h2><table><tr><th></th><th>check</th><th>subject</th><th>value</th><th>threshold</th><th>detail</th></tr>");
        foreach (var c in result.Checks.OrderBy(c => c.Passed))
        {
            html.Append("<tr class=\"").Append(c.Passed ? "ok" : "fail").Append("\"><td>").Append(c.Passed ? "ok" : "FAIL").Append("</td><td>").Append(E(c.Name))
                .Append("</td><td>").Append(E(c.Subject)).Append("</td><td>").Append(N(c.Value)).Append("</td><td>").Append(N(c.Threshold))
                .Append("</td><td>").Append(E(c.Message)).Append("</td></tr>");
        }
        html.Append("</table>");

        html.Append("<h2>Distributions: main (grey) and staging (blue)</h2>");
        foreach (var column in result.Columns) html.Append(Histogram(column));

        html.Append("<h2>Partitions</h2><table><tr><th>day</th><th>main rows</th><th>staged rows</th><th>changed</th></tr>");
        foreach (var p in result.Partitions)
        {
            html.Append("<tr><td>").Append(p.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</td><td>").Append(p.MainRows.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(p.StagedRows.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(p.Changed ? "yes" : "").Append("</td></tr>");
        }
        html.Append("</table></body></html>\n");
        return html.ToString();
    }

    private static string Histogram(ColumnAudit column)
    {
        const int width = 360, height = 160, pad = 20;
        int bins = Math.Max(column.MainShares.Count, column.StagedShares.Count);
        double top = 0.0001;
        foreach (var v in column.MainShares) top = Math.Max(top, v);
        foreach (var v in column.StagedShares) top = Math.Max(top, v);
        var svg = new StringBuilder();
        svg.Append("<div class=\"hist\"><svg role=\"img\" width=\"").Append(width).Append("\" height=\"").Append(height + 2 * pad)
            .Append("\" data-column=\"").Append(E(column.Name)).Append("\"><title>").Append(E(column.Name)).Append("</title>");
        svg.Append("<text x=\"0\" y=\"14\" font-size=\"13\">").Append(E(column.Name)).Append(" — PSI ").Append(N(column.Psi)).Append(", KS ").Append(N(column.Ks)).Append("</text>");
        if (bins > 0)
        {
            double slot = (double)width / bins;
            for (int b = 0; b < bins; b++)
            {
                Bar(svg, b * slot + 2, slot / 2 - 3, b < column.MainShares.Count ? column.MainShares[b] : 0, top, height, pad, "#9e9e9e");
                Bar(svg, b * slot + slot / 2, slot / 2 - 3, b < column.StagedShares.Count ? column.StagedShares[b] : 0, top, height, pad, "#1e88e5");
            }
        }
        svg.Append("<line x1=\"0\" x2=\"").Append(width).Append("\" y1=\"").Append(height + pad).Append("\" y2=\"").Append(height + pad).Append("\" stroke=\"#444\"/>");
        svg.Append("</svg></div>");
        return svg.ToString();
    }

    private static void Bar(StringBuilder svg, double x, double w, double share, double top, int height, int pad, string colour)
    {
        double h = share / top * (height - 10);
        svg.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(height + pad - h)).Append("\" width=\"").Append(N(Math.Max(w, 1)))
            .Append("\" height=\"").Append(N(h)).Append("\" fill=\"").Append(colour).Append("\"><title>").Append(N(share * 100)).Append("%</title></rect>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(double value) => double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";
}
