using System.Globalization;

namespace Recipe.Data;

/// <summary>
/// Decides whether a CSV target holds classes or a quantity. --task decides when given; otherwise words are
/// classes, and numbers are classes when they are a few distinct integers. Either way the choice is said in
/// the dataset's notes when it was a guess about integers, so that a user who meant the other can say so.
/// Either task needs at least two different target values: a constant target teaches nothing.
/// </summary>
public static class TargetTask
{
    /// <summary>Without --task, a numeric target with at most this many distinct integer values is taken as classes.</summary>
    public const int MaxClassesForIntegerTarget = 20;

    /// <param name="lines">The CSV line of each row, for messages.</param>
    /// <param name="requested">--task, or null to decide from the values.</param>
    /// <param name="note">Why integers were read as classes or as a quantity, when it was a guess; else null.</param>
    /// <exception cref="DataException">The values cannot be the requested task, or are all the same.</exception>
    public static TaskKind Decide(string path, Column target, int[] lines, TaskKind? requested, out string? note)
    {
        note = null;
        var task = requested ?? Guess(target, ref note);
        string At(int row) => $"line {lines[row]}, column '{target.Name}'";
        switch (task)
        {
            case TaskKind.Classification when target.Kind == ColumnKind.Numeric:
                int fraction = Array.FindIndex(target.Numbers, v => v != Math.Floor(v));
                if (fraction >= 0)
                    throw new DataException(path, At(fraction), $"a whole-number class label for --task classification, found '{target.Raw[fraction]}'");
                break;
            case TaskKind.Regression when target.Kind == ColumnKind.Categorical:
                int word = Array.FindIndex(target.Raw, v => double.IsNaN(CsvDataset.ParseNumber(v)));
                throw new DataException(path, At(word), $"a number for --task regression, found '{target.Raw[word]}'");
            case TaskKind.Sequence:
                throw new DataException(path, "--task", "classification or regression for a CSV target, found sequence");
        }
        RequireTwoValues(path, target, task);
        return task;
    }

    static TaskKind Guess(Column target, ref string? note)
    {
        if (target.Kind == ColumnKind.Categorical) return TaskKind.Classification;
        var distinct = target.Numbers.Distinct().ToArray();
        if (!distinct.All(v => v == Math.Floor(v))) return TaskKind.Regression;
        bool classes = distinct.Length <= MaxClassesForIntegerTarget;
        note = classes
            ? $"target '{target.Name}' holds {distinct.Length} distinct integers: read as classes (--task regression predicts it as a number)"
            : $"target '{target.Name}' holds {distinct.Length} distinct integers (more than {MaxClassesForIntegerTarget}): read as a number to predict (--task classification reads them as classes)";
        return classes ? TaskKind.Classification : TaskKind.Regression;
    }

    static void RequireTwoValues(string path, Column target, TaskKind task)
    {
        int distinct = target.Kind == ColumnKind.Numeric
            ? target.Numbers.Distinct().Count()
            : target.Raw.Distinct(StringComparer.Ordinal).Count();
        if (distinct >= 2) return;
        var only = target.Kind == ColumnKind.Numeric ? target.Numbers[0].ToString(CultureInfo.InvariantCulture) : target.Raw[0];
        throw new DataException(path, $"column '{target.Name}'",
            $"at least 2 different target values ({task.ToString().ToLowerInvariant()} needs them), found only '{only}' in all {target.Raw.Length} rows");
    }
}
