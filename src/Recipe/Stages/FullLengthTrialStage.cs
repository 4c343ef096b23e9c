using Recipe.Experiments;
using Recipe.Regularization;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>
/// With --budget, the time the final training leaves first settles the regularizer stage 4 could not judge. Its trials
/// are short, and a regularizer that slows fitting (augmentation above all) can still be improving when its trial ends,
/// refuted beside a baseline that had nearly reached its best; when the baseline itself was not shown to overfit, stage 4
/// does not try the rungs at all (<see cref="Stage4Outcome.Undecided"/>). The first such regularizer in the ladder's
/// order whose weights match the final model's is trained here like the final model — same seed, plateau rule and
/// learning-rate drops (<see cref="SeededTraining"/>), on a clock of at most half the time left
/// (<see cref="ShareOfTimeLeft"/>) — and judged on the whole validation split with stage 4's prediction (lower by ≥ 1 %,
/// beyond stage 4's seed-to-seed noise). Confirmed: it becomes the final pipeline and model.
/// Either way the other of the two joins the ensemble's members (<see cref="EnsembleStage"/>): a model trained with
/// another regularizer makes other mistakes.
/// </summary>
public sealed class FullLengthTrialStage : IRecipeStage
{
    public const string StageName = "full-length";

    public string Name => StageName;

    public StageOutcome Run(RunContext context)
    {
        if (context.Model is not { } first || context.Training is not { } story) return StageOutcome.Continue;
        if (EnsembleStage.SkipReason(context) is not null) return StageOutcome.Continue; // the same time, the same conditions
        if (context.Regularize is not { Undecided: { Count: > 0 } undecideds, Noise: { } noise }) return StageOutcome.Continue;

        // the first in the ladder's order whose model can join the final model's ensemble
        UndecidedRegularizer? undecided = null;
        (Checks.Pipeline Pipeline, int BudgetSteps)? compatible = null;
        string? firstRefusal = null;
        foreach (var u in undecideds)
        {
            var built = Candidate(context, u.Knobs);
            if (Incompatible(first, context.Pipeline, built) is not { } why) { (undecided, compatible) = (u, built); break; }
            firstRefusal ??= why;
        }
        if (undecided is null || compatible is not { } candidate)
        {
            Skip(context, undecideds[0], firstRefusal!); // none could join: the first in the ladder's order says why
            return StageOutcome.Continue;
        }
        var timeLeft = SeededTraining.TimeLeft(context, models: 2)!.Value; // its model joins the ensemble's members
        if (timeLeft.Left < story.Result.Elapsed)
        {
            Skip(context, undecided, $"the {timeLeft.Left.TotalSeconds:F0} s left are less than the final training took ({story.Result.Elapsed.TotalSeconds:F0} s)");
            return StageOutcome.Continue;
        }

        long seed = context.Options.Seed;
        var allowed = Allowance(timeLeft, story.Result.Elapsed);
        var (model, trained) = SeededTraining.Run(context, seed, allowed, $"full length: {undecided.Change}", candidate.Pipeline, candidate.BudgetSteps);
        double firstLoss = Validate(context.Pipeline, first).Loss;
        var candidateValidation = Validate(candidate.Pipeline, model);
        double candidateLoss = candidateValidation.Loss;
        var prediction = Prediction.LowerBy(Metrics.ValidationLoss, new Stage4Options().SmallestGain, firstLoss);
        var verdict = VerdictRule.Judge(prediction, firstLoss, candidateLoss, noise.Sigma);
        bool kept = verdict == ExperimentVerdict.Confirmed;
        var experiment = new Experiment
        {
            Number = context.Experiments.NextNumber,
            Stage = StageName,
            Kind = undecided.Kind,
            Change = undecided.Change,
            Knobs = undecided.Knobs,
            Rationale = (undecided.TrialValidationLoss is null
                            ? $"stage 4 left it untried (experiment {undecided.Experiment}): its baseline was not shown to overfit; "
                            : $"stage 4's trial (experiment {undecided.Experiment}) ended while its validation loss was still improving; ") +
                        "trained as long as the final model, the regularizer shows where it ends up " +
                        $"(its clock: {allowed.Left.TotalSeconds:F0} s, {allowed.Name})",
            Prediction = prediction,
            Pipeline = candidate.Pipeline.Description,
            Baseline = firstLoss,
            NoiseSigma = noise.Sigma,
            Measurement = new TrialMeasurement(seed, trained.Result.Steps, double.NaN, candidateLoss, candidateValidation.Accuracy,
                Math.Round(trained.Result.Elapsed.TotalSeconds, 1), []),
            Verdict = verdict,
            Kept = kept,
            Reason = VerdictRule.Explain(verdict, prediction, firstLoss, candidateLoss, noise.Sigma) +
                     (kept ? " It is the final pipeline; the first model joins the ensemble's members."
                           : " The final model stays; this one joins the ensemble's members."),
        };
        context.Experiments.Add(experiment);
        if (kept)
        {
            context.ExtraMembers.Add(new TrainedMember(first, seed, story.Result.Steps, story.Result.Elapsed.TotalSeconds, "without " + undecided.Change));
            context.Model = model;
            context.Training = trained;
            context.Pipeline = candidate.Pipeline;
            context.BudgetSteps = candidate.BudgetSteps;
        }
        else
            context.ExtraMembers.Add(new TrainedMember(model, seed, trained.Result.Steps, trained.Result.Elapsed.TotalSeconds, undecided.Change));
        context.Report.FullLength(experiment, undecided, Math.Round(trained.Result.Elapsed.TotalSeconds, 1), trained.StopReason);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }

    /// <summary>
    /// The most of the time left the trial may use. A regularizer that slows fitting may still be improving when any clock
    /// ends it, so unbounded it takes every second left (session 24: 1,769 s, 4× the final model's training, for a gain
    /// within stage 4's noise) and the ensemble gets no seed — whose gain, unlike the trial's, is reliable: five seeds of
    /// the same pipeline took validation loss from 0.2157 to 0.1771 in the run before. Half stays for the seeds.
    /// </summary>
    public const double ShareOfTimeLeft = 0.5;

    /// <summary>
    /// The trial's clock: <see cref="ShareOfTimeLeft"/> of what is left, never less than the final training took (the two
    /// are compared, and the caller has checked that much is left).
    /// </summary>
    public static (TimeSpan Left, string Name) Allowance((TimeSpan Left, string Name) timeLeft, TimeSpan finalTraining)
    {
        var share = timeLeft.Left * ShareOfTimeLeft;
        return share >= finalTraining
            ? (share, $"{ShareOfTimeLeft * 100:F0} % of the {timeLeft.Left.TotalSeconds:F0} s {timeLeft.Name} left; the rest trains the ensemble")
            : (finalTraining, $"as long as the final training took, {finalTraining.TotalSeconds:F0} s of the {timeLeft.Left.TotalSeconds:F0} s {timeLeft.Name} left");
    }

    /// <summary>The final pipeline with the regularizer's knobs, trained like the final one (its own step budget, the final learning rate).</summary>
    static (Checks.Pipeline Pipeline, int BudgetSteps) Candidate(RunContext context, IReadOnlyDictionary<string, string> knobs)
    {
        var rebuilt = context.Pipeline.WithKnobs(knobs);
        var (config, budgetSteps) = RunStage.TrainingFor(context.Options, rebuilt);
        return (rebuilt with { Training = config with { LearningRate = rebuilt.Training.LearningRate } }, budgetSteps);
    }

    /// <summary>
    /// Why the candidate's model cannot join the final model's ensemble, or null: other weights' names or shapes, or
    /// another input (the `input` knob: an ensemble's members all answer about the input the final pipeline makes, and a
    /// table's half input keeps every shape while it hides columns, so shapes alone would not tell).
    /// </summary>
    static string? Incompatible(nn.Module<Tensor, Tensor> first, Checks.Pipeline final, (Checks.Pipeline Pipeline, int BudgetSteps) candidate)
    {
        string input = Checks.DefaultKnobs.Input;
        if (final.Knobs.Declares(input) && candidate.Pipeline.Knobs.Declares(input) && final.Knobs[input] != candidate.Pipeline.Knobs[input])
            return $"its model takes another input than the final one ({input} {candidate.Pipeline.Knobs[input]}, not {final.Knobs[input]}), so the two could not form one ensemble";
        using var probe = candidate.Pipeline.CreateModel();
        var mine = first.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        var theirs = probe.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        bool same = mine.Count == theirs.Count && mine.All(p => theirs.TryGetValue(p.Key, out var shape) && shape.SequenceEqual(p.Value));
        return same ? null : "its model has other weights than the final one, so the two could not form one ensemble";
    }

    static EvaluationResult Validate(Checks.Pipeline pipeline, nn.Module<Tensor, Tensor> model) =>
        Evaluation.Run(model, pipeline.Data.Validation, pipeline.Data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);

    static void Skip(RunContext context, UndecidedRegularizer undecided, string reason)
    {
        string why = $"{undecided.Change} (undecided in experiment {undecided.Experiment}) was not trained at full length: {reason}";
        context.SkipStage(StageName, why);
        context.Report.FullLengthSkipped(why);
    }
}
