using Recipe.Data;

namespace Recipe.Inspect;

/// <summary>Everything `recipe inspect` was asked: the data, where to write, and the optional query.</summary>
public sealed record InspectRequest
{
    public string Data { get; init; } = DataSpec.DefaultSpec;
    public string Out { get; init; } = "runs/inspect";
    /// <summary>Write into <see cref="Out"/> even when it holds files Recipe did not write (they are kept).</summary>
    public bool Force { get; init; }
    /// <summary>CSV only: the target column (default: the last).</summary>
    public string? TargetColumn { get; init; }
    /// <summary>CSV only: the first line is data (columns named col0, col1, …).</summary>
    public bool NoHeader { get; init; }
    /// <summary>CSV only: classification or regression; null guesses from the target.</summary>
    public TaskKind? Task { get; init; }
    /// <summary>Image folders only: side of the square images are resized to.</summary>
    public int ImageSize { get; init; } = 32;
    /// <summary>--where conditions, --sort field and --top count (all optional).</summary>
    public string? Where { get; init; }
    public string? Sort { get; init; }
    public int? Top { get; init; }
    public InspectOptions Options { get; init; } = new();
}

/// <summary>What one data type's inspection produced, for the report, summary.json and the terminal.</summary>
/// <param name="Summary">The type-specific part of summary.json.</param>
/// <param name="QueryArtifact">The file holding the query's examples (query.png, query.csv, query.txt), if a query ran.</param>
public sealed record InspectSection(IReadOnlyList<Finding> Findings, object Summary, QueryResult? Query, QueryTable? QueryTable, string? QueryArtifact);

/// <summary>What `recipe inspect` did: the ranked findings, the query's rows, where the files are.</summary>
public sealed record InspectOutcome(IReadOnlyList<Finding> Findings, QueryResult? Query, QueryTable? QueryTable, string OutputFolder, string? QueryArtifact, double Seconds);
