using Recipe.Data;
using Recipe.Training;

namespace Recipe.Checks;

/// <summary>
/// Turns an exception a check threw into a finding a person can act on: the first meaningful line of the
/// message (libtorch appends its C++ source location and stack frames, which say nothing to a user), and, for
/// the errors whose cause Recipe knows, the cause itself with the fix.
/// </summary>
public static class ErrorFinding
{
    /// <summary>The finding of a sequence loss that does not ignore Recipe's padding; the same words for every check it breaks.</summary>
    public const string PaddedTargets =
        "the pipeline's loss rejects padded targets: Recipe pads sequence targets with -1 (Losses.IgnoreIndex) past the end of each line, " +
        "and a cross-entropy without ignore_index reads -1 as a class";

    public const string PaddedTargetsAdvice =
        "Pass ignore_index: -1 to the loss, e.g. cross_entropy(output.flatten(0, 1), targets.flatten(), ignore_index: -1) " +
        "(or use Losses.For(TaskKind.Sequence, ...)), so padded positions count for nothing.";

    /// <summary>(finding, advice) for an exception thrown by a check on data of the given task.</summary>
    public static (string Finding, string Advice) Describe(Exception e, TaskKind task)
    {
        if (IsPaddedTargetError(e, task)) return (PaddedTargets, PaddedTargetsAdvice);
        return ($"the check could not run: {e.GetType().Name}: {FirstMeaningfulLine(e.Message)}",
            "Fix the error above (it came from the pipeline's parts or from the data) and run the checks again.");
    }

    /// <summary>A target of -1 met a loss that treats it as a class index: the padding convention was not followed.</summary>
    public static bool IsPaddedTargetError(Exception e, TaskKind task)
    {
        if (task != TaskKind.Sequence) return false;
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner.Message.Contains($"Target {Losses.IgnoreIndex} is out of bounds", StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>
    /// The message without libtorch's trailer: it stops at "Exception raised from ..." and at the first "frame #N:" line,
    /// and keeps the lines before them joined by spaces.
    /// </summary>
    public static string FirstMeaningfulLine(string message)
    {
        var kept = new List<string>();
        foreach (var raw in message.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Exception raised from", StringComparison.Ordinal) || line.StartsWith("frame #", StringComparison.Ordinal)) break;
            if (line.Length > 0) kept.Add(line);
        }
        return kept.Count == 0 ? message.Trim() : string.Join(" ", kept);
    }
}
