using Recipe.Checks;
using Recipe.Stages;
using Spectre.Console;

namespace Recipe.Cli.Commands;

/// <summary>What run and overfit print about the stages, and the bad input they turn into one line.</summary>
public static class RunOutput
{
    /// <summary>A knob the pipeline does not declare (or cannot take) is bad input: one line, exit 2.</summary>
    public static T Guarded<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (UnknownKnobException e)
        {
            throw new UsageException($"--knob: {e.Message}");
        }
    }

    public static void Stages(RunOutcome outcome)
    {
        if (outcome.Findings is { } findings)
            AnsiConsole.MarkupLineInterpolated($"stage 1: {findings.Count} findings ({string.Join(", ", findings.GroupBy(f => f.Kind).Select(g => $"{g.Key} {g.Count()}"))}); see inspect/report.html");
        if (outcome.Checks is { } checks)
        {
            var failing = checks.Checks.Where(c => c.Verdict is not Verdict.Pass and not Verdict.Skipped).ToList();
            var notPassing = failing.Count > 0 ? $"; not passing: {string.Join(", ", failing.Select(c => $"{c.Id} ({c.Verdict.Name()})"))}" : "";
            AnsiConsole.MarkupLineInterpolated($"checks: {checks.Checks.Count(c => c.Verdict == Verdict.Pass)} of {checks.Checks.Count} passed{notPassing}");
            StopMessages.Print(checks.Stopping, checks.Failing);
        }
        if (outcome.Overfit is { } overfit)
        {
            var table = new Table().Title("stage 3: experiments").AddColumn("#").AddColumn("change").AddColumn("train loss").AddColumn("verdict").AddColumn("kept");
            foreach (var e in outcome.Experiments.Where(e => e.Stage != Recipe.Regularization.Stage4.StageName))
                table.AddRow(e.Number.ToString(), Markup.Escape(e.Change), e.Skipped ? "—" : $"{e.Baseline:G4} → {e.Outcome:G4}",
                    e.Skipped ? "skipped" : e.Verdict!.Value.ToString().ToLowerInvariant(), e.Kept ? "yes" : "no");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"stage 3: best {overfit.Best.Knobs}, train loss {overfit.BestMeasurement.TrainLoss:G4} (noise σ {overfit.Noise.Sigma:G3}); stopped: {overfit.StopReason}");
            foreach (var skipped in overfit.Skipped) AnsiConsole.MarkupLineInterpolated($"[grey]stage 3 did not try:[/] {skipped}");
        }
        if (outcome.Regularize is { } regularize) Regularized(regularize);
    }

    /// <summary>Stage 4 on screen: its experiments (validation loss), what it kept, and what it did not try.</summary>
    static void Regularized(Recipe.Regularization.Stage4Outcome r)
    {
        if (r.NotRun is { } why) { AnsiConsole.MarkupLineInterpolated($"stage 4: no trial ({why})"); return; }
        var table = new Table().Title("stage 4: experiments").AddColumn("#").AddColumn("change").AddColumn("validation loss").AddColumn("verdict").AddColumn("kept");
        foreach (var e in r.Experiments)
            table.AddRow(e.Number.ToString(), Markup.Escape(e.Change), e.Skipped ? "—" : $"{e.Baseline:G4} → {e.Outcome:G4}",
                e.Skipped ? (e.Reason.StartsWith("Refused", StringComparison.Ordinal) ? "refused" : "skipped") : e.Verdict!.Value.ToString().ToLowerInvariant(), e.Kept ? "yes" : "no");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"stage 4: best {r.Best.Knobs}, validation loss {r.BestMeasurement!.ValidationLoss:G4} (noise σ {r.Noise!.Sigma:G3}), {r.Seconds:F0} s");
        if (r.LearningCurve?.TwiceTheData is { } twice)
            AnsiConsole.MarkupLineInterpolated($"stage 4: learning curve says {r.LearningCurve.ErrorName} {twice.Now:G3} now, {twice.Doubled:G3} with twice the data");
        if (r.NotDeclared.Count > 0) AnsiConsole.MarkupLineInterpolated($"[grey]stage 4: knobs the pipeline does not declare (steps not tried):[/] {string.Join(", ", r.NotDeclared)}");
        foreach (var skipped in r.Skipped) AnsiConsole.MarkupLineInterpolated($"[grey]stage 4 did not try:[/] {skipped}");
    }
}
