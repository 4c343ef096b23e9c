using Recipe.Checks;
using Recipe.Data;
using Recipe.Progress;
using Recipe.Training;

namespace Recipe.Stages;

/// <summary>What stage 2 is asked to do: which model, how it would train, and the checks' budgets.</summary>
public sealed record Stage2Options
{
    /// <summary>Model name (see ModelFactory.Names); null picks the default for the data.</summary>
    public string? Model { get; init; }
    /// <summary>The planned training run (seed, batch size, epochs, learning rate) the checks audit.</summary>
    public TrainingConfig Training { get; init; } = new();
    public CheckOptions Checks { get; init; } = new();
}

/// <summary>Stage 2's results: every check, the baselines as metrics, and whether the recipe must stop here.</summary>
public sealed record Stage2Outcome(string Pipeline, IReadOnlyList<CheckResult> Checks, IReadOnlyDictionary<string, double> Metrics)
{
    public IReadOnlyList<CheckResult> Stopping => Checks.Where(c => c.Stops).ToList();
    public bool Stops => Checks.Any(c => c.Stops);
    /// <summary>Non-blocking checks that failed or could not run: the recipe goes on, but they are printed and change the exit code.</summary>
    public IReadOnlyList<CheckResult> Failing => Checks.Where(c => !c.Stops && c.Verdict is Verdict.Fail or Verdict.Error).ToList();

    /// <summary><see cref="ExitCodes.BlockingFailure"/> when a blocking check stops the recipe, <see cref="ExitCodes.NonBlockingFailures"/> when only non-blocking ones failed, else <see cref="ExitCodes.Passed"/>.</summary>
    public int ExitCode => Stops ? ExitCodes.BlockingFailure : Failing.Count > 0 ? ExitCodes.NonBlockingFailures : ExitCodes.Passed;
}

/// <summary>
/// Stage 2 of the recipe, a trusted training skeleton with dumb baselines: runs the stage-2 check suite
/// on Recipe's default pipeline for the data. `recipe check` and `recipe run` call this.
/// </summary>
public static class Stage2
{
    public static Stage2Outcome Run(Dataset data, Stage2Options? options = null, IProgressSink? progress = null)
    {
        options ??= new Stage2Options();
        using var normalizer = InputNormalizer.FitTo(data);
        var pipeline = Pipeline.Default(data, normalizer, options.Model, options.Training);
        return Run(pipeline, options.Checks, progress);
    }

    /// <summary>Runs stage 2 on any pipeline (the user's own parts).</summary>
    public static Stage2Outcome Run(Pipeline pipeline, CheckOptions? options = null, IProgressSink? progress = null)
    {
        var suite = CheckSuite.Run(pipeline, options, progress);
        return new Stage2Outcome(pipeline.Description, suite.Checks, suite.Metrics);
    }
}
