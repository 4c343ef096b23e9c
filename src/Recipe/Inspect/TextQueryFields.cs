using System.Globalization;

namespace Recipe.Inspect;

/// <summary>What --where and --sort see of text lines: split, line number, length in characters, and the text itself.</summary>
public sealed class TextQueryFields(TextAudit audit) : IQueryFields
{
    public int Count => audit.Texts.Length;

    public IReadOnlyList<string> Fields { get; } = ["split", "line", "length", "text"];

    public double? Number(string field, int row) => field switch
    {
        "line" => audit.LineNumbers[row],
        "length" => audit.Texts[row].Length,
        _ => null,
    };

    public string? Text(string field, int row) => field switch
    {
        "split" => audit.Numbering.SplitName(row),
        "text" => audit.Texts[row],
        _ => Number(field, row)?.ToString(CultureInfo.InvariantCulture),
    };
}
