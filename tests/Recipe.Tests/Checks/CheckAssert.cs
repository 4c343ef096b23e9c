using Recipe.Checks;

namespace Recipe.Tests.Checks;

/// <summary>Runs one check on a pipeline with the quick budgets and asserts its verdict, printing its evidence when it is wrong.</summary>
public static class CheckAssert
{
    public static CheckResult Run(ICheck check, Pipeline pipeline, CheckOptions? options = null) =>
        CheckSuite.RunOne(check, pipeline, options ?? CheckOptions.Quick);

    public static CheckResult Verdict(Verdict expected, ICheck check, Pipeline pipeline, CheckOptions? options = null)
    {
        var result = Run(check, pipeline, options);
        Assert.True(result.Verdict == expected, Describe(result, expected));
        return result;
    }

    /// <summary>A correct pipeline may earn a warning (a soft rule), never a failure or an error.</summary>
    public static CheckResult NoAlarm(ICheck check, Pipeline pipeline, CheckOptions? options = null)
    {
        var result = Run(check, pipeline, options);
        Assert.True(result.Verdict is Recipe.Checks.Verdict.Pass or Recipe.Checks.Verdict.Warn, Describe(result, Recipe.Checks.Verdict.Pass));
        return result;
    }

    static string Describe(CheckResult result, Verdict expected) =>
        $"{result.Id}: expected {expected.Name()}, got {result.Verdict.Name()}: {result.Finding}\n" +
        string.Join("\n", result.Evidence.Conditions.Select(c => $"  {c.Verdict.Name()}: {c.Title} (measured {c.Value:G4})")) + "\n" +
        string.Join("\n", result.Evidence.Numbers.Select(n => $"  {n.Key} = {n.Value:G6}")) + "\n" +
        string.Join("\n", result.Evidence.Notes);
}
