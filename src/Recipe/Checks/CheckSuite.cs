using System.Diagnostics;
using Recipe.Checks.Stage2;
using Recipe.Progress;

namespace Recipe.Checks;

/// <summary>The checks of a suite, their results, and the metrics their evidence marked as such.</summary>
public sealed record SuiteResult(IReadOnlyList<CheckResult> Checks, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The blocking checks that failed or could not run: the recipe stops on these.</summary>
    public IReadOnlyList<CheckResult> Stopping => Checks.Where(c => c.Stops).ToList();
    public bool Stops => Checks.Any(c => c.Stops);
    /// <summary>Non-blocking checks that failed or could not run: the recipe goes on, but the user must see them.</summary>
    public IReadOnlyList<CheckResult> Failing => Checks.Where(c => !c.Stops && c.Verdict is Verdict.Fail or Verdict.Error).ToList();
    /// <summary>Results most in need of attention first.</summary>
    public IReadOnlyList<CheckResult> Ranked => Checks.OrderBy(c => c.Rank).ToList();
    /// <summary>Time spent on each shared run (training and its measurements), by run name: where the checks' cost goes.</summary>
    public IReadOnlyDictionary<string, TimeSpan> SharedRuns { get; init; } = new Dictionary<string, TimeSpan>();
    /// <summary>The process's CPU time on each shared run, by run name (<see cref="CheckContext.SharedRunCpuTimes"/>).</summary>
    public IReadOnlyDictionary<string, TimeSpan> SharedRunsCpu { get; init; } = new Dictionary<string, TimeSpan>();
}

/// <summary>
/// Runs checks against a <see cref="Pipeline"/>. The suite is an explicit list, in the order the recipe
/// takes the steps; a check that throws becomes an error result and the suite goes on.
/// </summary>
public static class CheckSuite
{
    /// <summary>Stage 2: a trusted training skeleton and dumb baselines.</summary>
    public static IReadOnlyList<ICheck> Stage2 { get; } =
    [
        new SplitIntegrity(),
        new SeedReproducible(),
        new InputsAtTheDoor(),
        new LossAtInit(),
        new InitFinalBias(),
        new LossGradientCoverage(),
        new GradientHealth(),
        new BatchIndependence(),
        new CausalDependence(),
        new EvalDeterminism(),
        new LearningRateSchedule(),
        new AugmentationConsistency(),
        new OverfitOneBatch(),
        new InputIndependentBaseline(),
        new DumbBaselines(),
        new LossDecreases(),
        new PredictionDynamics(),
    ];

    /// <summary>Finds a stage-2 check by id (e.g. "overfit-one-batch").</summary>
    public static ICheck ById(string id) => Stage2.FirstOrDefault(c => c.Id == id)
        ?? throw new ArgumentException($"no check '{id}'; checks: {string.Join(", ", Stage2.Select(c => c.Id))}");

    /// <summary>Runs <paramref name="checks"/> (default: <see cref="Stage2"/>) against the pipeline.</summary>
    public static SuiteResult Run(Pipeline pipeline, CheckOptions? options = null, IProgressSink? progress = null, IReadOnlyList<ICheck>? checks = null)
    {
        progress ??= NullProgress.Instance;
        checks ??= Stage2;
        using var context = new CheckContext(pipeline, options, progress);
        var results = new List<CheckResult>();
        using (var overall = progress.Start($"stage 2 checks (0/{checks.Count})", checks.Count))
        {
            foreach (var check in checks)
            {
                overall.Describe($"stage 2 checks ({results.Count}/{checks.Count}): {check.Id}");
                results.Add(RunOne(check, context));
                overall.Advance();
            }
            overall.Describe($"stage 2 checks ({results.Count}/{checks.Count})");
        }
        return new SuiteResult(results, MetricsOf(results)) { SharedRuns = context.SharedRunTimes.ToDictionary(), SharedRunsCpu = context.SharedRunCpuTimes.ToDictionary() };
    }

    /// <summary>Runs one check; an exception becomes an <see cref="Verdict.Error"/> result carrying the reason.</summary>
    public static CheckResult RunOne(ICheck check, CheckContext context)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Environment.CpuUsage.TotalTime;
        var sharedBefore = context.SharedRunTime;
        var sharedCpuBefore = context.SharedRunCpuTime;
        CheckOutcome outcome;
        try
        {
            outcome = check.Run(context);
        }
        catch (Exception e)
        {
            // The full exception (with libtorch's frames) stays in the evidence for whoever debugs; the finding keeps what a user can act on.
            var (finding, advice) = ErrorFinding.Describe(e, context.Task);
            outcome = new CheckOutcome(Verdict.Error, finding, new Evidence().Note(e.ToString()), advice);
        }
        var shared = context.SharedRunTime - sharedBefore;
        var sharedCpu = context.SharedRunCpuTime - sharedCpuBefore;
        return new CheckResult(check.Id, check.Stage, check.Hypothesis, check.Blocking, outcome.Verdict, outcome.Finding,
            outcome.Evidence, outcome.Advice, clock.Elapsed - shared, shared)
        {
            CpuTime = Environment.CpuUsage.TotalTime - cpu - sharedCpu,
            SharedRunCpuTime = sharedCpu,
        };
    }

    /// <summary>Runs one check against a pipeline in a fresh context.</summary>
    public static CheckResult RunOne(ICheck check, Pipeline pipeline, CheckOptions? options = null)
    {
        using var context = new CheckContext(pipeline, options);
        return RunOne(check, context);
    }

    static Dictionary<string, double> MetricsOf(IEnumerable<CheckResult> results)
    {
        var metrics = new Dictionary<string, double>();
        foreach (var result in results)
            foreach (var name in result.Evidence.MetricNames)
                metrics[name] = result.Evidence[name];
        return metrics;
    }
}
