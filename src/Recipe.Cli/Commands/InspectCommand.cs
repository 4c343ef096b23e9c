using System.ComponentModel;
using Recipe.Inspect;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>`recipe inspect`: stage 1, become one with the data. Findings are reported, not failed on (exit 0).</summary>
public sealed class InspectCommand : Command<InspectCommand.Settings>
{
    /// <summary>Findings printed in the terminal, two lines each, so the list fits a screen (all are in the report and summary.json).</summary>
    const int Printed = 6;

    public sealed class Settings : OutputSettings
    {
        [CommandOption("--where <CONDITIONS>")]
        [Description("Keep examples meeting every condition, joined by ',' or 'and': FIELD OP VALUE with OP =, !=, <, >, <=, >= (e.g. \"label=3\", \"split=test and contrast<20\"). " +
                     "Fields: split, index, label (class index or name) and the statistics (images); columns, line, missing (tables); line, length, text (text).")]
        public string? Where { get; init; }

        [CommandOption("--sort <FIELD>")]
        [Description("Sort the kept examples by a field, ascending; FIELD:desc for descending (e.g. contrast, contrast:desc).")]
        public string? Sort { get; init; }

        [CommandOption("--top <N>")]
        [Description("How many of the kept examples to print and draw (default 64 when --where or --sort is given).")]
        public int? Top { get; init; }

        [CommandOption("--gallery <N>")]
        [Description("Training images shown per class in the report's galleries.")]
        [DefaultValue(200)]
        public int Gallery { get; init; }

        // `recipe run` owns the shared default folder; inspect writes next to it unless told where.
        protected override string DefaultOut => "runs/inspect";

        public override ValidationResult Validate()
        {
            if (base.Validate() is { Successful: false } common) return common;
            if (Where is not null && string.IsNullOrWhiteSpace(Where)) return ValidationResult.Error("--where needs at least one condition (e.g. \"label=3\"), found an empty value");
            if (Sort is not null && string.IsNullOrWhiteSpace(Sort)) return ValidationResult.Error("--sort needs a field (e.g. contrast or contrast:desc), found an empty value");
            if (Top is < 1) return ValidationResult.Error("--top must be at least 1");
            if (Gallery < 0) return ValidationResult.Error("--gallery must not be negative");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var request = new InspectRequest
        {
            Data = settings.Data,
            Out = settings.OutFolder, Force = settings.Force,
            TargetColumn = settings.Target,
            ImageSize = settings.ImageSize,
            NoHeader = settings.NoHeader,
            Task = settings.TaskKind,
            Where = settings.Where,
            Sort = settings.Sort,
            Top = settings.Top,
            Options = new InspectOptions { GalleryPerClass = settings.Gallery, Seed = (int)settings.Seed },
        };
        InspectOutcome outcome;
        try
        {
            outcome = Terminal.WithProgress(progress => Inspection.Run(request, progress));
        }
        catch (QueryException e)
        {
            throw new UsageException(e.Message);
        }
        PrintFindings(outcome);
        if (outcome.Query is { } query) PrintQuery(query, outcome.QueryTable!);
        AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {outcome.OutputFolder}/report.html and summary.json{(outcome.QueryArtifact is { } a ? $" and {a}" : "")} ({outcome.Seconds:F1} s)");
        return 0;
    }

    static void PrintFindings(InspectOutcome outcome)
    {
        var findings = outcome.Findings;
        if (findings.Count == 0)
        {
            AnsiConsole.MarkupLine("[green]no findings[/]");
            return;
        }
        // One finding per two lines (what and where, then the sentence): readable in any terminal width.
        foreach (var (f, i) in findings.Take(Printed).Select((f, i) => (f, i)))
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]{i + 1,3}. {f.Kind}[/] [grey]{f.Split} · {f.Count} example(s){(f.Subject is { } s ? $" · {s}" : "")}[/]");
            AnsiConsole.MarkupLineInterpolated($"     {Shorten(f.Message, 300)}");
        }
        var counts = string.Join(", ", findings.GroupBy(f => f.Kind).Select(g => $"{g.Key} {g.Count()}"));
        AnsiConsole.MarkupLineInterpolated($"{findings.Count} findings ({counts}){(findings.Count > Printed ? $"; the first {Printed} shown" : "")}");
    }

    static void PrintQuery(QueryResult query, QueryTable rows)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]query[/] {query.Query}: {query.Matched} matched, {query.Rows.Length} shown");
        var table = new Table().Border(TableBorder.Simple);
        foreach (var h in rows.Header) table.AddColumn(Markup.Escape(h));
        foreach (var row in rows.Rows) table.AddRow(row.Select(c => Markup.Escape(Shorten(c, 60))).ToArray());
        AnsiConsole.Write(table);
    }

    static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
