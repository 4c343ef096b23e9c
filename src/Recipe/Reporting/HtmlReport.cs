using System.Net;
using System.Text;

namespace Recipe.Reporting;

/// <summary>
/// A self-contained HTML report: headings, paragraphs, tables and PNG pictures embedded as data URIs,
/// so the one file opens from disk anywhere.
/// </summary>
public sealed class HtmlReport(string title)
{
    readonly StringBuilder _body = new();

    public HtmlReport Heading(string text, int level = 2)
    {
        _body.Append($"<h{level}>{Encode(text)}</h{level}>\n");
        return this;
    }

    public HtmlReport Paragraph(string text, string? cssClass = null)
    {
        _body.Append(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A verdict badge followed by text (pass / warn / fail / error / skipped).</summary>
    public HtmlReport Verdict(string verdict, string text)
    {
        _body.Append($"<p><span class=\"badge {Encode(verdict)}\">{Encode(verdict)}</span> {Encode(text)}</p>\n");
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table><thead><tr>");
        foreach (var h in header) _body.Append("<th>").Append(Encode(h)).Append("</th>");
        _body.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row) _body.Append("<td>").Append(Encode(cell)).Append("</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>A table whose cells in <paramref name="badgeColumn"/> are verdicts drawn as badges (pass / warn / fail / error / skipped).</summary>
    public HtmlReport BadgeTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int badgeColumn)
    {
        _body.Append("<table><thead><tr>");
        foreach (var h in header) _body.Append("<th>").Append(Encode(h)).Append("</th>");
        _body.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            for (int i = 0; i < row.Count; i++)
                _body.Append(i == badgeColumn ? $"<td><span class=\"badge {Encode(row[i])}\">{Encode(row[i])}</span></td>" : $"<td>{Encode(row[i])}</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>Preformatted text (decoded sequences, stack traces), kept as written.</summary>
    public HtmlReport Code(string text)
    {
        _body.Append("<pre>").Append(Encode(text)).Append("</pre>\n");
        return this;
    }

    /// <summary>A PNG picture embedded in the page, with a caption.</summary>
    public HtmlReport Image(byte[] png, string caption)
    {
        _body.Append("<figure><img src=\"data:image/png;base64,").Append(Convert.ToBase64String(png))
            .Append("\" alt=\"").Append(Encode(caption)).Append("\"><figcaption>").Append(Encode(caption)).Append("</figcaption></figure>\n");
        return this;
    }

    /// <summary>Opens a collapsible block (closed with <see cref="EndDetails"/>), for long evidence.</summary>
    public HtmlReport Details(string summary)
    {
        _body.Append("<details><summary>").Append(Encode(summary)).Append("</summary>\n");
        return this;
    }

    public HtmlReport EndDetails()
    {
        _body.Append("</details>\n");
        return this;
    }

    /// <summary>Appends the body of another report (e.g. sections written before the summary that goes above them).</summary>
    public HtmlReport Append(HtmlReport other)
    {
        _body.Append(other._body);
        return this;
    }

    public string Render() => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{Encode(title)}}</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; font-size: 14px; }
        th { background: #f3f3f3; }
        figure { margin: 0.5em 0 1.5em; } img { max-width: 100%; image-rendering: pixelated; }
        figcaption { color: #555; font-size: 13px; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 4px; color: white; font-weight: bold; font-size: 13px; }
        .pass { background: #2e7d32; } .warn { background: #ef6c00; } .fail { background: #c62828; }
        .error { background: #6a1b9a; } .skipped { background: #757575; }
        .muted { color: #666; }
        pre { background: #f6f6f6; padding: 6px; overflow-x: auto; font-size: 12px; }
        </style></head>
        <body><h1>{{Encode(title)}}</h1>
        {{_body}}</body></html>
        """;

    public void Save(string path) => File.WriteAllText(path, Render());

    static string Encode(string text) => WebUtility.HtmlEncode(text);
}
