namespace Recipe.Inspect;

/// <summary>What --where and --sort see of an image dataset: split, index, label and every statistic.</summary>
public sealed class ImageQueryFields(ImageAudit audit) : IQueryFields
{
    public int Count => audit.Numbering.Count;

    public IReadOnlyList<string> Fields { get; } = ["split", "index", "source_index", "label", .. ImageStatistics.Names];

    public double? Number(string field, int row) => field switch
    {
        "split" => null,
        "index" => audit.Numbering.Locate(row).Index,
        "source_index" => audit.Numbering.Ref(row, null).SourceIndex,
        "label" => audit.Targets[row],
        _ => audit.Statistics[field][row],
    };

    public string? Text(string field, int row) => field switch
    {
        "split" => audit.Numbering.SplitName(row),
        "label" => ExampleNumbering.LabelName(audit.Data, audit.Targets[row]),
        _ => Number(field, row)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
