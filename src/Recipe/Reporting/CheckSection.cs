using Recipe.Checks;

namespace Recipe.Reporting;

/// <summary>
/// Report sections for check results, for any report that ran checks: a ranked overview table, one
/// section per check (hypothesis, verdict, finding, advice, conditions, numbers, tables, pictures),
/// and the summary.json shape of a result.
/// </summary>
public static class CheckSection
{
    /// <summary>The ranked table: stopping checks first, then by verdict; each row says what was found, not what was hoped.</summary>
    public static HtmlReport CheckOverview(this HtmlReport report, IReadOnlyList<CheckResult> results)
    {
        report.BadgeTable(["verdict", "check", "stage", "blocking", "what was found"],
            results.OrderBy(r => r.Rank).Select(r => (IReadOnlyList<string>)[r.Verdict.Name(), r.Id, r.Stage.ToString(), r.Blocking ? "yes" : "no", CheckHeadline.Outcome(r)]),
            badgeColumn: 0);
        var stopping = results.Where(r => r.Stops).ToList();
        if (stopping.Count > 0)
            report.Verdict("fail", $"Stopped: blocking checks did not pass ({string.Join(", ", stopping.Select(r => r.Id))}). Fix them before the next stage.");
        return report;
    }

    /// <summary>One section per check, in the order given.</summary>
    public static HtmlReport CheckDetails(this HtmlReport report, IReadOnlyList<CheckResult> results)
    {
        foreach (var result in results)
        {
            report.Heading($"{result.Id}{(result.Blocking ? " (blocking)" : "")}", 3);
            report.Verdict(result.Verdict.Name(), CheckHeadline.Outcome(result));
            report.Paragraph($"{CheckHeadline.HypothesisLabel(result.Verdict)}: {result.Hypothesis}", "muted");
            if (result.Advice is { } advice) report.Paragraph($"Advice: {advice}");
            var evidence = result.Evidence;
            if (evidence.Conditions.Count > 0)
                report.BadgeTable(["condition", "measured", "verdict"],
                    evidence.Conditions.Select(c => (IReadOnlyList<string>)[c.Title, Format(c.Value), c.Verdict.Name()]), badgeColumn: 2);
            foreach (var picture in evidence.Pictures) report.Image(picture.Png, picture.Caption);
            foreach (var table in evidence.Tables)
            {
                report.Details(table.Title);
                report.Table(table.Header, table.Rows);
                report.EndDetails();
            }
            if (evidence.Numbers.Count > 0)
            {
                report.Details("all measured numbers");
                report.Table(["number", "value"], evidence.Numbers.Select(n => (IReadOnlyList<string>)[n.Key, Format(n.Value)]));
                report.EndDetails();
            }
            foreach (var note in evidence.Notes)
            {
                if (note.Contains('\n')) { report.Details("details"); report.Code(note); report.EndDetails(); }
                else report.Paragraph(note, "muted");
            }
            report.Paragraph($"{result.Elapsed.TotalSeconds:F1} s" + (result.SharedRunTime > TimeSpan.Zero
                ? $", and {result.SharedRunTime.TotalSeconds:F1} s for the shared short runs it was first to need (other checks reuse them)" : ""), "muted");
        }
        return report;
    }

    /// <summary>Writes a result's pictures as PNG files in <paramref name="folder"/>; returns their paths relative to <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> SavePictures(CheckResult result, string root, string folder = "checks")
    {
        var paths = new List<string>();
        if (result.Evidence.Pictures.Count == 0) return paths;
        Directory.CreateDirectory(Path.Combine(root, folder));
        for (int i = 0; i < result.Evidence.Pictures.Count; i++)
        {
            var relative = $"{folder}/{result.Id}-{i + 1}.png";
            File.WriteAllBytes(Path.Combine(root, relative), result.Evidence.Pictures[i].Png);
            paths.Add(relative);
        }
        return paths;
    }

    /// <summary>A result as summary.json holds it: {id, stage, hypothesis, verdict, blocking, finding, evidence, advice, seconds}.</summary>
    public static object ToSummary(CheckResult result, IReadOnlyList<string>? picturePaths = null) => new
    {
        result.Id,
        result.Stage,
        result.Hypothesis,
        Verdict = result.Verdict.Name(),
        result.Blocking,
        result.Finding,
        Evidence = new
        {
            Numbers = result.Evidence.Numbers.GroupBy(n => n.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            Conditions = result.Evidence.Conditions.Select(c => new { c.Title, c.Value, Verdict = c.Verdict.Name() }),
            Pictures = (picturePaths ?? []).Zip(result.Evidence.Pictures, (path, picture) => new { Path = path, picture.Caption }),
            Tables = result.Evidence.Tables.Select(t => new { t.Title, t.Header, t.Rows }),
            result.Evidence.Notes,
        },
        result.Advice,
        Seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
        SharedRunSeconds = Math.Round(result.SharedRunTime.TotalSeconds, 2),
    };

    static string Format(double value) => value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
