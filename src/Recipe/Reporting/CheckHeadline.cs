using System.Globalization;
using Recipe.Checks;

namespace Recipe.Reporting;

/// <summary>
/// A check's result as one sentence that leads with what was found. A hypothesis is written as the good outcome
/// ("The trained model beats the dumb baselines"), so printing it after a small "fail" badge reads as good news;
/// instead a result that did not pass names what was measured and the rule it broke, in capitals where it negates:
/// "WARN: model validation loss, as a share of a linear model's … is 168 %, NOT ≤ 100 %; validation — … linear: 0.31 …".
/// </summary>
public static class CheckHeadline
{
    /// <summary>"FAIL: …", "WARN: …", "PASS: …", "ERROR: …", "SKIPPED: …": the verdict word and <see cref="Outcome"/>.</summary>
    public static string Of(CheckResult result) => $"{result.Verdict.Name().ToUpperInvariant()}: {Outcome(result)}";

    /// <summary>The sentence without the verdict word, for places that draw the verdict as a badge beside it.</summary>
    public static string Outcome(CheckResult result)
    {
        var finding = result.Finding.TrimEnd('.');
        switch (result.Verdict)
        {
            case Verdict.Pass:
                return finding;   // the badge says it held; the numbers say by how much
            case Verdict.Error:
                return $"could not run, so NOT shown: {Lower(result.Hypothesis.TrimEnd('.'))} ({finding})";
            case Verdict.Skipped:
                return $"not run: {finding}";
        }
        var broken = result.Evidence.Conditions.Where(c => c.Verdict == result.Verdict).ToList();
        if (broken.Count == 0) return $"did NOT hold: {finding}";
        return string.Join("; ", broken.Select(Broken)) + $"; {finding}";
    }

    /// <summary>How the hypothesis line is introduced under the headline: it held, or it is what was tested and did not hold.</summary>
    public static string HypothesisLabel(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "Hypothesis (held)",
        Verdict.Warn => "Hypothesis (held only in part)",
        Verdict.Fail => "Hypothesis (did NOT hold)",
        _ => "Hypothesis (not tested)",
    };

    /// <summary>"QUANTITY is MEASURED, NOT ≤ THRESHOLD" from the condition's title "QUANTITY ≤ THRESHOLD".</summary>
    static string Broken(ConditionOutcome condition)
    {
        int at = Math.Max(condition.Title.LastIndexOf(" ≤ ", StringComparison.Ordinal), condition.Title.LastIndexOf(" ≥ ", StringComparison.Ordinal));
        return at < 0
            ? $"NOT {condition.Title} (measured {Measured(condition)})"
            : $"{condition.Title[..at]} is {Measured(condition)}, NOT {condition.Title[(at + 1)..]}";
    }

    /// <summary>The measured value in the threshold's own units: a percentage when the title's threshold is one.</summary>
    static string Measured(ConditionOutcome condition) =>
        condition.Title.EndsWith('%') ? condition.Value.ToString("P0", CultureInfo.InvariantCulture) : condition.Value.ToString("G4", CultureInfo.InvariantCulture);

    static string Lower(string sentence) =>
        sentence.Length > 1 && char.IsUpper(sentence[0]) && !char.IsUpper(sentence[1]) ? char.ToLowerInvariant(sentence[0]) + sentence[1..] : sentence;
}
