using Recipe.Checks;
using Recipe.Diagnostics;
using Recipe.Experiments;
using Recipe.Models;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>A trained model of the ensemble: its seed, how long it trained, and its own score on the whole validation split.</summary>
/// <param name="Change">How its pipeline differs from the final one (a regularizer trained at full length); null: none.</param>
public sealed record EnsembleMember(long Seed, int Steps, double Seconds, double ValidationLoss, double? ValidationAccuracy, string? Change = null);

/// <summary>A model trained for the ensemble, before it is judged: the caller hands it over (the choice owns it from then on).</summary>
/// <param name="Change">How its pipeline differs from the final one; null: none (a seed of the final pipeline).</param>
public sealed record TrainedMember(nn.Module<Tensor, Tensor> Model, long Seed, int Steps, double Seconds, string? Change = null);

/// <summary>The ensemble weighed against the first model: every member's score, the ensemble's, the noise and the verdict.</summary>
public sealed record EnsembleOutcome(
    IReadOnlyList<EnsembleMember> Members,
    double ValidationLoss,
    double? ValidationAccuracy,
    double Sigma,
    ExperimentVerdict Verdict,
    bool Kept,
    double Seconds,
    Experiment Experiment)
{
    /// <summary>The first model's validation loss: the baseline the ensemble must beat.</summary>
    public double FirstValidationLoss => Members[0].ValidationLoss;
}

/// <summary>
/// "Squeeze out the juice": models trained from different seeds make partly independent mistakes, and the mean of their
/// probabilities (<see cref="Ensemble"/>) cancels some of them. Kept only when <see cref="PairedValidation"/> confirms
/// it: the ensemble's validation loss lower than the first model's by at least 1 % of it, and by more than the noise of
/// that difference on these validation examples. The members
/// are trained already and the choice is between these two concrete models, so the question is whether another sample
/// of examples could reverse the gain, not whether another seed could: a gain spread over many examples counts, one a
/// few examples carry does not, and N copies of one model gain nothing.
/// </summary>
public static class EnsembleChoice
{
    /// <summary>
    /// Judges <paramref name="members"/> (the first model first) on the validation split of <paramref name="pipeline"/>.
    /// Confirmed: returns the <see cref="Ensemble"/> of all of them (it owns them). Otherwise the extra members are
    /// disposed and the first model is left to the caller.
    /// </summary>
    public static (EnsembleOutcome Outcome, Ensemble? Model) Weigh(Pipeline pipeline, IReadOnlyList<TrainedMember> members, int experimentNumber)
    {
        if (members.Count < 2) throw new ArgumentException("an ensemble is weighed against its first model: at least two members", nameof(members));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var data = pipeline.Data;
        EvaluationResult Validate(nn.Module<Tensor, Tensor> model) => Evaluation.Run(model, data.Validation, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);

        var scored = members.Select(m =>
        {
            var validation = Validate(m.Model);
            return new EnsembleMember(m.Seed, m.Steps, Math.Round(m.Seconds, 1), validation.Loss, validation.Accuracy, m.Change);
        }).ToList();
        var ensemble = new Ensemble(members.Select(m => m.Model).ToList(), data.Task);
        double trainLoss;
        using (var sample = CheckContext.First(data.Train, Trial.TrainSampleSize, "train-sample"))
            trainLoss = Evaluation.Run(ensemble, sample, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500).Loss;

        double first = scored[0].ValidationLoss;
        var comparison = PairedValidation.Compare(pipeline, members[0].Model, first, ensemble);
        var (validationOfEnsemble, sigma, prediction, verdict) = (comparison.Candidate, comparison.Sigma, comparison.Prediction, comparison.Verdict);
        bool kept = comparison.Confirmed;
        double seconds = Math.Round(members.Sum(m => m.Seconds) - members[0].Seconds + clock.Elapsed.TotalSeconds, 1);
        var experiment = new Experiment
        {
            Number = experimentNumber,
            Stage = EnsembleStage.StageName,
            Kind = "ensemble",
            Change = $"the first model → the mean of {members.Count} models (seeds {string.Join(", ", scored.Select(m => m.Change is null ? $"{m.Seed}" : $"{m.Seed} ({m.Change})"))})",
            Knobs = new Dictionary<string, string> { ["ensemble_members"] = members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Rationale = "models trained from different seeds make partly independent mistakes; the mean of their probabilities cancels some of them",
            Prediction = prediction,
            Pipeline = pipeline.Description,
            Baseline = first,
            NoiseSigma = sigma,
            Measurement = new TrialMeasurement(scored[0].Seed, members.Sum(m => m.Steps), trainLoss, validationOfEnsemble.Loss, validationOfEnsemble.Accuracy, seconds, []),
            Verdict = verdict,
            Kept = kept,
            Reason = comparison.Explanation +
                     (kept ? " The ensemble is the final model." : " The first model stays the final model."),
        };
        var outcome = new EnsembleOutcome(scored, validationOfEnsemble.Loss, validationOfEnsemble.Accuracy, sigma, verdict, kept, seconds, experiment);
        if (kept) return (outcome, ensemble);
        // the wrapper is dropped, not disposed: disposing it would dispose the first model, which stays
        foreach (var extra in members.Skip(1)) extra.Model.Dispose();
        return (outcome, null);
    }
}
