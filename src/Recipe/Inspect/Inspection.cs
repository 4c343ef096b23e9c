using System.Diagnostics;
using Recipe.Data;
using Recipe.Progress;
using Recipe.Reporting;
using Recipe.Stages;

namespace Recipe.Inspect;

/// <summary>
/// `recipe inspect`: reads the data (unreadable image files are listed, not fatal), audits it by type,
/// runs the optional query, and writes report.html, summary.json and the query's file. Findings are
/// not errors; input that cannot be read at all is a <see cref="DataException"/> (exit 2).
/// </summary>
public static class Inspection
{
    public static InspectOutcome Run(InspectRequest request, IProgressSink? progress = null)
    {
        progress ??= NullProgress.Instance;
        var query = Query.Parse(request.Where, request.Sort, request.Top);   // a bad query fails before any work
        Native.TorchRuntime.EnsureLoadable();
        var clock = Stopwatch.StartNew();
        return GrayChunks.SingleThreadedTorch(() =>
        {
            Dataset data;
            using (progress.Start("reading the data", 1))
                data = DataSpec.Load(request.Data, new ReadOptions(request.TargetColumn, request.ImageSize, SkipUnreadable: true, NoHeader: request.NoHeader, Task: request.Task));
            using (data)
            using (var output = new OutputFolder(request.Out, request.Force))
            {
                var body = new HtmlReport("");   // the sections; the ranked findings go above them once known
                var section = data.Format switch
                {
                    DataFormat.Idx or DataFormat.ImageFolder => ImageInspection.Write(data, body, output, request.Options, query, progress),
                    DataFormat.Csv => TableInspection.Write(data, body, output, request.Options, query),
                    DataFormat.TextLines => TextInspection.Write(data, body, output, request.Options, query),
                    _ => throw new InvalidOperationException($"no inspection for {data.Format}"),
                };
                var report = InspectReport.Start(data, section.Findings).Append(body);
                report.Save(output.PathOf("report.html"));
                Summary.Save(output.PathOf("summary.json"), new
                {
                    Command = "inspect",
                    Data = request.Data,
                    Dataset = DatasetSummary.Of(data),
                    Findings = section.Findings,
                    FindingCounts = section.Findings.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count()),
                    Details = section.Summary,
                    Query = section.Query is { } q ? new
                    {
                        Where = q.Query.Where.Select(c => c.ToString()).ToList(),
                        Sort = q.Query.SortField,
                        q.Query.Descending,
                        q.Query.Top,
                        q.Matched,
                        Columns = section.QueryTable!.Header,
                        Rows = section.QueryTable.Rows,
                        Artifact = section.QueryArtifact,
                    } : null,
                    Seconds = clock.Elapsed.TotalSeconds,
                    Artifacts = new { Report = "report.html", Query = section.QueryArtifact },
                });
                output.Commit();
                return new InspectOutcome(section.Findings, section.Query, section.QueryTable, output.Final, section.QueryArtifact, clock.Elapsed.TotalSeconds);
            }
        });
    }
}
