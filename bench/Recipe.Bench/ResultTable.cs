using System.Text;
using System.Text.Json;

namespace Recipe.Bench;

/// <summary>
/// Every benchmark's rows in one table, printed as Markdown (readable in a terminal, pasted as is into
/// BENCHMARKS.md) and saved as JSON for programs. New benchmarks add rows; the table needs no change.
/// </summary>
public sealed class ResultTable
{
    readonly List<ResultRow> _rows = [];

    public IReadOnlyList<ResultRow> Rows => _rows;

    public void Add(IEnumerable<ResultRow> rows) => _rows.AddRange(rows);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| benchmark | measure | median | min – max | target | met |");
        text.AppendLine("|---|---|--:|--:|---|---|");
        foreach (var row in _rows)
        {
            var (median, range) = row.Value is { } v
                ? (Format.Number(v.Median), $"{Format.Number(v.Min)} – {Format.Number(v.Max)}")
                : ("n/a", row.Note ?? "");
            text.AppendLine($"| {row.Benchmark} | {row.Measure} | {median} | {range} | {row.Target?.ToString() ?? ""} | {row.Met} |");
        }
        return text.ToString();
    }

    public void SaveJson(string path, object machine)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var rows = _rows.Select(r => new
        {
            r.Benchmark, r.Measure, r.Value?.Unit,
            Median = r.Value?.Median, Min = r.Value?.Min, Max = r.Value?.Max, Values = r.Value?.Values,
            Target = r.Target?.ToString(), Met = r.Met == "" ? (bool?)null : r.Met == "yes", r.Note,
        });
        File.WriteAllText(path, JsonSerializer.Serialize(new { Machine = machine, Rows = rows },
            new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
    }
}
