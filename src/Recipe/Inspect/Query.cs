using System.Globalization;
using System.Text.RegularExpressions;

namespace Recipe.Inspect;

/// <summary>How a condition compares a field with its value.</summary>
public enum Comparison { Equal, NotEqual, Less, Greater, LessOrEqual, GreaterOrEqual }

/// <summary>One condition of --where: field, comparison, value ("label=3", "contrast&lt;20", "split!=test").</summary>
public sealed record Condition(string Field, Comparison Comparison, string Value)
{
    public override string ToString() => $"{Field}{Symbols[Comparison]}{Value}";

    internal static readonly Dictionary<Comparison, string> Symbols = new()
    {
        [Comparison.Equal] = "=", [Comparison.NotEqual] = "!=", [Comparison.Less] = "<",
        [Comparison.Greater] = ">", [Comparison.LessOrEqual] = "<=", [Comparison.GreaterOrEqual] = ">=",
    };
}

/// <summary>A bad --where, --sort or --top: the message says what was expected (the command exits 2).</summary>
public sealed class QueryException(string message) : Exception(message);

/// <summary>
/// Search, filter and sort over examples: conditions joined by "," or " and " (all must hold), an
/// optional sort field (ascending; ":desc" for descending) and how many rows to keep. A field is
/// compared as a number when both it and the value are numbers (label=3 is the class index), as
/// case-insensitive text otherwise (label=Sandal, split=test).
/// </summary>
public sealed record Query(IReadOnlyList<Condition> Where, string? SortField, bool Descending, int Top)
{
    public const int DefaultTop = 64;

    static readonly Regex ConditionPattern = new(@"^\s*(?<field>[A-Za-z_][\w\-\. ]*?)\s*(?<op><=|>=|!=|=|<|>)\s*(?<value>.*?)\s*$", RegexOptions.Compiled);
    static readonly Regex Separator = new(@"\s*,\s*|\s+and\s+", RegexOptions.Compiled | RegexOptions.IgnoreCase);

    /// <summary>Null when no query option was given.</summary>
    public static Query? Parse(string? where, string? sort, int? top)
    {
        if (where is null && sort is null && top is null) return null;
        var conditions = new List<Condition>();
        if (!string.IsNullOrWhiteSpace(where))
            foreach (var part in Separator.Split(where.Trim()))
            {
                var match = ConditionPattern.Match(part);
                if (!match.Success || match.Groups["value"].Value.Length == 0)
                    throw new QueryException($"--where: cannot read '{part}'; expected FIELD OP VALUE with OP one of =, !=, <, >, <=, >= (e.g. label=3, contrast<20)");
                var op = Condition.Symbols.First(p => p.Value == match.Groups["op"].Value).Key;
                conditions.Add(new Condition(match.Groups["field"].Value, op, match.Groups["value"].Value.Trim('"', '\'')));
            }
        string? field = null;
        bool descending = false;
        if (!string.IsNullOrWhiteSpace(sort))
        {
            var pieces = sort.Trim().Split(':');
            field = pieces[0].Trim();
            if (pieces.Length > 2 || (pieces.Length == 2 && pieces[1].Trim().ToLowerInvariant() is not ("asc" or "desc")))
                throw new QueryException($"--sort: expected FIELD, FIELD:asc or FIELD:desc, found '{sort}'");
            descending = pieces.Length == 2 && pieces[1].Trim().Equals("desc", StringComparison.OrdinalIgnoreCase);
        }
        if (top is < 1) throw new QueryException($"--top must be at least 1, found {top}");
        return new Query(conditions, field, descending, top ?? DefaultTop);
    }

    /// <summary>The rows that meet every condition, sorted, cut to <see cref="Top"/>.</summary>
    public QueryResult Run(IQueryFields table)
    {
        string Canonical(string name) => table.Fields.FirstOrDefault(f => f.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new QueryException($"unknown field '{name}'; the fields are: {string.Join(", ", table.Fields)}");
        var where = Where.Select(c => c with { Field = Canonical(c.Field) }).ToList();
        var matched = Enumerable.Range(0, table.Count).Where(row => where.All(c => Holds(table, c, row))).ToList();
        IEnumerable<int> ordered = matched;
        if (SortField is not null)
        {
            var field = Canonical(SortField);
            bool numeric = matched.Any(r => table.Number(field, r) is not null);
            ordered = numeric
                ? matched.OrderBy(r => table.Number(field, r) is { } v && !double.IsNaN(v) ? 0 : 1)   // missing values last either way
                    .ThenBy(r => (Descending ? -1 : 1) * (table.Number(field, r) ?? 0))
                : Descending ? matched.OrderByDescending(r => table.Text(field, r), StringComparer.OrdinalIgnoreCase)
                             : matched.OrderBy(r => table.Text(field, r), StringComparer.OrdinalIgnoreCase);
        }
        return new QueryResult(this, ordered.Take(Top).ToArray(), matched.Count);
    }

    static bool Holds(IQueryFields table, Condition condition, int row)
    {
        var number = table.Number(condition.Field, row);
        bool isNumber = double.TryParse(condition.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value);
        if (number is { } n && isNumber)
        {
            if (double.IsNaN(n)) return condition.Comparison == Comparison.NotEqual;
            return condition.Comparison switch
            {
                Comparison.Equal => n == value,
                Comparison.NotEqual => n != value,
                Comparison.Less => n < value,
                Comparison.Greater => n > value,
                Comparison.LessOrEqual => n <= value,
                _ => n >= value,
            };
        }
        if (condition.Comparison is not (Comparison.Equal or Comparison.NotEqual))
            throw new QueryException($"--where {condition}: '{condition.Field}' is compared as text here, which allows only = and !=");
        bool equal = string.Equals(table.Text(condition.Field, row), condition.Value, StringComparison.OrdinalIgnoreCase);
        return condition.Comparison == Comparison.Equal ? equal : !equal;
    }

    public override string ToString() =>
        string.Join(" ", new[]
        {
            Where.Count > 0 ? $"where {string.Join(" and ", Where)}" : null,
            SortField is null ? null : $"sorted by {SortField}{(Descending ? " (descending)" : "")}",
            $"top {Top}",
        }.OfType<string>());
}

/// <summary>The examples a query runs over: named fields per row, as numbers and/or text.</summary>
public interface IQueryFields
{
    int Count { get; }
    IReadOnlyList<string> Fields { get; }
    /// <summary>The field as a number (NaN when missing), or null when it is not numeric.</summary>
    double? Number(string field, int row);
    /// <summary>The field as text (null when missing).</summary>
    string? Text(string field, int row);
}

/// <summary>The rows a query kept, in order, and how many matched before --top.</summary>
public sealed record QueryResult(Query Query, int[] Rows, int Matched);
