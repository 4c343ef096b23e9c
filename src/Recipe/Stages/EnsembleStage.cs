using Recipe.Models;

namespace Recipe.Stages;

/// <summary>
/// With --budget, the time the final training left unused trains more members of the same pipeline (seeds seed+1,
/// seed+2, …; each trained exactly like the first model, <see cref="SeededTraining"/>), and their ensemble replaces the
/// first model only when validation confirms the gain (<see cref="EnsembleChoice"/>). A member starts only when the time
/// left is at least the longest training measured so far (the first model's, then each member's): one predicted to
/// overrun is not started. Runs before the test evaluation, so the test split is still touched once.
/// </summary>
public sealed class EnsembleStage : IRecipeStage
{
    public const string StageName = "ensemble";

    /// <summary>
    /// The most models an ensemble holds. The part of the error a mean of N removes (the members' disagreement) shrinks as
    /// 1/N: ten members get 90 % of what an endless ensemble would, five 80 %. The budget, not this cap, should end the
    /// ensemble: when the final pipeline trains fast (a small model at a high rate), five members left a quarter of a
    /// 60-minute budget unused (session 24: 800 s). Each member costs a forward pass at every prediction, so the cap
    /// still bounds what a prediction costs: ten small models.
    /// </summary>
    public const int MaxMembers = 10;

    public string Name => StageName;

    public StageOutcome Run(RunContext context)
    {
        if (context.Model is not { } first || context.Training is not { } story) return StageOutcome.Continue;
        if (SkipReason(context) is { } reason)
        {
            Skip(context, reason);
            return StageOutcome.Continue;
        }
        var options = context.Options;
        var longest = story.Result.Elapsed;
        // a model of another regularizer trained at full length (FullLengthTrialStage) is a member already; the stage owns it
        // from here. New members are seeds of the final pipeline, so only its own trainings say how long one takes.
        var members = new List<TrainedMember> { new(first, options.Seed, story.Result.Steps, longest.TotalSeconds) };
        members.AddRange(context.ExtraMembers);
        context.ExtraMembers.Clear();
        int seeded = 0;
        string? stopped = null;
        while (members.Count < MaxMembers)
        {
            // held back: the evaluation of the stages after, the shifted copies' for every member the ensemble would then hold
            var timeLeft = SeededTraining.TimeLeft(context, models: members.Count + 1)!.Value;
            if (timeLeft.Left < longest)
            {
                stopped = $"the {Math.Max(0, timeLeft.Left.TotalSeconds):F0} s left, after the evaluation held back for the stages after it, are less than the longest training so far ({longest.TotalSeconds:F0} s)";
                break;
            }
            long seed = options.Seed + ++seeded;
            var (model, trained) = SeededTraining.Run(context, seed, timeLeft, $"ensemble member {members.Count + 1} (seed {seed})");
            members.Add(new TrainedMember(model, seed, trained.Result.Steps, trained.Result.Elapsed.TotalSeconds));
            if (trained.Result.Elapsed > longest) longest = trained.Result.Elapsed;
        }
        if (members.Count == 1)
        {
            Skip(context, $"no member was afforded: {stopped}");
            context.Phases.Lap(Name);
            return StageOutcome.Continue;
        }
        string afforded = stopped is null ? $"{members.Count} models, the most an ensemble holds ({MaxMembers})" : $"{members.Count} models ({stopped})";
        var (outcome, ensemble) = EnsembleChoice.Weigh(context.Pipeline, members, context.Experiments.NextNumber);
        context.Experiments.Add(outcome.Experiment);
        context.Ensemble = outcome;
        if (ensemble is not null) context.Model = ensemble;
        context.Report.Ensemble(outcome, afforded);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }

    /// <summary>Why no member is trained, or null when the stage runs.</summary>
    public static string? SkipReason(RunContext context)
    {
        var options = context.Options;
        if (options.Budget is null) return "no --budget: the ensemble spends the time a budget leaves after the final training";
        if (options.Epochs is not null) return "--epochs fixes the training the user asked for: no extra members";
        if (options.InitFrom is not null) return $"training fine-tunes the weights of {options.InitFrom} (--init-from): every member would start from the same weights";
        if (context.ModelChoice is { Decision.KeepRicher: false }) return "the simpler linear model was kept: it is fitted to its optimum, so seeds give the same model";
        return null;
    }

    static void Skip(RunContext context, string reason)
    {
        context.SkipStage(StageName, reason);
        context.Report.EnsembleSkipped(reason);
    }
}
