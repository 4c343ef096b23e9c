using System.Globalization;
using System.Text;
using Recipe.Data;
using Recipe.Progress;
using Recipe.Reporting;

namespace Recipe.Inspect;

/// <summary>`recipe inspect` on images: audit, report sections, per-example statistics file, query grid, summary.</summary>
public static class ImageInspection
{
    public static InspectSection Write(Dataset data, HtmlReport report, OutputFolder output, InspectOptions options, Query? query, IProgressSink progress)
    {
        var audit = ImageAudit.Run(data, options, progress);
        QueryResult? result = null;
        QueryTable? table = null;
        string? artifact = null;
        if (query is not null)
        {
            result = query.Run(new ImageQueryFields(audit));
            table = Table(audit, result);
            artifact = "query.png";
            var png = ImagePicker.Grid(audit.Numbering, result.Rows, g => $"{audit.Numbering.SplitName(g)[..2]}{audit.Numbering.Locate(g).Index}", columns: 16, scale: 2);
            File.WriteAllBytes(output.PathOf(artifact), png);
            InspectReport.Query(report, result, table, png, $"The {result.Rows.Length} examples of the query, in order (also {artifact}).");
        }
        using (progress.Start("report", 1))
            ImageReport.Write(report, audit, options);
        WriteExamples(output.PathOf("examples.csv"), audit);
        return new InspectSection(audit.Findings, Summary(audit), result, table, artifact);
    }

    static QueryTable Table(ImageAudit audit, QueryResult result)
    {
        var extra = new List<string>();
        if (result.Query.SortField is { } sort && ImageStatistics.IsStatistic(sort)) extra.Add(sort);
        extra.AddRange(new[] { "mean", "contrast", "foreground" }.Where(s => !extra.Contains(s)));
        return new QueryTable(["#", "split", "index", "origin", "label", .. extra], result.Rows.Select((g, i) =>
        {
            var e = audit.Numbering.Ref(g, audit.Targets[g]);
            return (IReadOnlyList<string>)[(i + 1).ToString(), e.Split, e.Index.ToString(), e.Origin, e.Label ?? "",
                .. extra.Select(s => audit.Statistics[s][g].ToString("G4", CultureInfo.InvariantCulture))];
        }).ToList());
    }

    /// <summary>examples.csv: every image with its split, index, origin, label and statistics (for a spreadsheet or a notebook).</summary>
    static void WriteExamples(string path, ImageAudit audit)
    {
        var names = ImageStatistics.Names.ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", new[] { "split", "index", "source_index", "origin", "label" }.Concat(names)));
        for (int g = 0; g < audit.Numbering.Count; g++)
        {
            var e = audit.Numbering.Ref(g, audit.Targets[g]);
            text.Append(e.Split).Append(',').Append(e.Index).Append(',').Append(e.SourceIndex).Append(',')
                .Append(Csv(e.Origin)).Append(',').Append(Csv(e.Label ?? ""));
            foreach (var name in names) text.Append(',').Append(audit.Statistics[name][g].ToString("G6", CultureInfo.InvariantCulture));
            text.AppendLine();
        }
        File.WriteAllText(path, text.ToString());
    }

    static string Csv(string value) => value.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    static object Summary(ImageAudit audit)
    {
        var data = audit.Data;
        var splits = audit.Numbering.Splits;
        ExampleRef Ref(int g) => audit.Numbering.Ref(g, audit.Targets[g]);
        return new
        {
            Counts = splits.Select((s, i) => (s.Name, Counts: Enumerable.Range(0, data.ClassCount).ToDictionary(c => data.ClassNames[c], c => audit.ClassCounts[i, c])))
                .ToDictionary(p => p.Name, p => p.Counts),
            audit.ImbalanceRatio,
            Statistics = ImageStatistics.Definitions.ToDictionary(d => d.Name, d =>
            {
                var values = audit.Statistics[d.Name];
                var finite = values.Where(float.IsFinite).Select(v => (double)v).Order().ToArray();
                var order = Enumerable.Range(0, values.Length).Where(g => float.IsFinite(values[g])).OrderBy(g => values[g]).ToArray();
                return new
                {
                    d.Meaning,
                    Min = finite.FirstOrDefault(double.NaN),
                    Median = RobustOutliers.Median(finite),
                    Mean = finite.Length == 0 ? double.NaN : finite.Average(),
                    Max = finite.LastOrDefault(double.NaN),
                    Missing = values.Length - finite.Length,
                    Lowest = order.Take(16).Select(Ref).ToList(),
                    Highest = order.TakeLast(16).Reverse().Select(Ref).ToList(),
                };
            }),
            ExactDuplicates = new { Groups = audit.ExactGroups.Count, Examples = audit.ExactGroups.Sum(g => g.Length), Method = "hash of the pixel bytes, groups confirmed byte for byte" },
            NearDuplicates = new
            {
                audit.NearDuplicates.Method,
                audit.NearDuplicates.Options.Threshold,
                audit.NearDuplicates.Options.DescriptorThreshold,
                audit.NearDuplicates.Options.MaxShift,
                audit.NearDuplicates.Indexed,
                audit.NearDuplicates.Compared,
                audit.NearDuplicates.Candidates,
                audit.NearDuplicates.Leaves,
                Seconds = audit.NearDuplicates.Elapsed.TotalSeconds,
                Clusters = audit.NearGroups.Count,
                Pairs = audit.NearDuplicates.Pairs.Select(p => new { A = Ref(p.A), B = Ref(p.B), p.Distance, p.Dy, p.Dx }).ToList(),
            },
            Unreadable = UnreadableFiles.Of(data),
            audit.Seconds,
            Artifacts = new { Examples = "examples.csv" },
        };
    }
}
