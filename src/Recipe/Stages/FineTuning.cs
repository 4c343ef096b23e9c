using System.Diagnostics;
using System.Globalization;
using Recipe.Checks;
using Recipe.Experiments;
using Recipe.Interop;
using Recipe.Progress;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>What stage 3 did when it fine-tuned a checkpoint (--init-from) instead of climbing the capacity ladder.</summary>
/// <param name="Source">The checkpoint every trial's model started from.</param>
/// <param name="ScratchLossAtInit">The training loss (fixed sample) of the same architecture freshly initialized: what the checkpoint is worth.</param>
/// <param name="PretrainedLossAtInit">The training loss (same sample) with the checkpoint's weights loaded, before any step.</param>
/// <param name="TrainNoise">Seed-to-seed variation of the baseline's training loss (the seeds change the data order only: the start is the checkpoint).</param>
/// <param name="ValidationNoise">The same trials' validation loss, which the experiments are judged on.</param>
/// <param name="LearningRate">The rate the final training starts from (the kept experiment's, or the skeleton's).</param>
public sealed record FineTuneOutcome(
    string Source,
    Pipeline Best,
    int TrialSteps,
    double ScratchLossAtInit,
    double PretrainedLossAtInit,
    TrialMeasurement Baseline,
    TrialMeasurement BestMeasurement,
    SeedNoise TrainNoise,
    SeedNoise ValidationNoise,
    double LearningRate,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<Experiment> Experiments,
    double Seconds);

/// <summary>
/// Stage 3 for fine-tuning: every trial starts from the checkpoint's weights. The capacity ladder is not climbed (the
/// architecture is the checkpoint's: a wider model would leave the weights behind), so what is left to choose is the
/// step size. The learning-rate range test runs from the pretrained weights; its suggestion and a tenth of it
/// (fine-tuning usually wants a smaller step than training from scratch, so as not to undo what the weights know) are
/// experiments against the baseline rate. They are judged on validation loss: a larger step lowers the training loss
/// of a pretrained model easily while forgetting what generalized, which only the held-out loss shows.
/// </summary>
public static class FineTuning
{
    public const string StageName = "fine-tune";

    /// <summary>The lower-rate candidate is the suggestion (or the current rate) divided by this.</summary>
    public const double LowerRateDivisor = 10;

    public static FineTuneOutcome Run(Pipeline skeleton, string source, Stage3Options options, ExperimentLog? log = null, IProgressSink? progress = null)
    {
        log ??= new ExperimentLog();
        progress ??= NullProgress.Instance;
        var clock = Stopwatch.StartNew();
        int firstExperiment = log.All.Count;
        int steps = options.TrialSteps ?? Stage3.DefaultTrialSteps(skeleton);
        void Load(nn.Module<Tensor, Tensor> model) => Checkpoint.LoadInto(model, source);
        var skipped = new List<string> { "capacity ladder: the architecture is the checkpoint's (a larger model would leave the pretrained weights behind)" };

        double scratch = Trial.LossAtInit(skeleton, options.Seed);
        double pretrained = Trial.LossAtInit(skeleton, options.Seed, Load);
        var baseline = Trial.Run(skeleton, options.Seed, steps, progress, $"fine-tune: baseline from {Path.GetFileName(source)} (seed {options.Seed})", Load);
        var repeats = Enumerable.Range(1, options.NoiseSeeds).Select(i => options.Seed + i)
            .Select(seed => Trial.Run(skeleton, seed, steps, progress, $"fine-tune: baseline, noise seed {seed}", Load)).ToList();
        long[] seeds = [options.Seed, .. repeats.Select(r => r.Seed)];
        var trainNoise = new SeedNoise(seeds, [baseline.TrainLoss, .. repeats.Select(r => r.TrainLoss)]);
        var validationNoise = new SeedNoise(seeds, [baseline.ValidationLoss, .. repeats.Select(r => r.ValidationLoss)]);

        var best = skeleton;
        var bestTrial = baseline;
        var knob = options.LearningRateKnob;
        if (!skeleton.Knobs.Declares(knob)) skipped.Add($"learning rate: the pipeline declares no '{knob}' knob");
        else
        {
            // the range test from the pretrained weights: a fresh model's curve says little about a trained one's
            double? suggested = Suggest(skeleton, source, options, skipped);
            double current = double.Parse(skeleton.Knobs[knob], CultureInfo.InvariantCulture);
            var candidates = new List<(double Rate, string Why)>();
            if (suggested is { } s) candidates.Add((s, "The learning-rate range test from the pretrained weights suggests it."));
            double lower = Rounded((suggested ?? current) / LowerRateDivisor);
            candidates.Add((lower, $"Fine-tuning usually wants a smaller step: a tenth of {(suggested is null ? "the current rate" : "the suggestion")} keeps closer to what the weights know."));
            foreach (var (rate, why) in candidates)
            {
                string from = best.Knobs[knob], to = KnobValues.Text(rate);
                if (to == from) { skipped.Add($"learning rate {to}: already the current rate"); continue; }
                var change = new Dictionary<string, string> { [knob] = to };
                var prediction = Prediction.LowerBy(Metrics.ValidationLoss, options.SmallestGain, bestTrial.ValidationLoss);
                var common = new Experiment
                {
                    Number = log.NextNumber, Stage = StageName, Kind = "learning-rate", Change = $"lr {from} → {to}", Knobs = change, Rationale = why,
                    Prediction = prediction, Pipeline = best.Description, Baseline = bestTrial.ValidationLoss, NoiseSigma = validationNoise.Sigma,
                    InitializedFrom = source, Reason = "",
                };
                if (Overruns(bestTrial.Seconds, clock, options) is { } late)
                {
                    log.Add(common with { Skipped = true, Reason = $"Skipped: {late}." });
                    skipped.Add($"lr {from} → {to}: {late}");
                    continue;
                }
                // the rebuilt pipeline takes the checkpoint's architecture and normalization again (a ResNet's width)
                var candidate = InitFrom.Prepare(best.WithKnobs(change), source);
                var trial = Trial.Run(candidate, options.Seed, steps, progress, $"fine-tune, experiment {log.NextNumber}: lr {to}", Load);
                var verdict = VerdictRule.Judge(prediction, bestTrial.ValidationLoss, trial.ValidationLoss, validationNoise.Sigma);
                bool kept = verdict == ExperimentVerdict.Confirmed;
                string reason = VerdictRule.Explain(verdict, prediction, bestTrial.ValidationLoss, trial.ValidationLoss, validationNoise.Sigma) +
                                $" Training loss {bestTrial.TrainLoss:G4} → {trial.TrainLoss:G4}." + (kept ? " Kept." : " Not kept.");
                log.Add(common with { Pipeline = candidate.Description, Measurement = trial, Verdict = verdict, Kept = kept, Reason = reason });
                if (!kept) continue;
                best = candidate;
                bestTrial = trial;
            }
        }
        return new FineTuneOutcome(source, best, steps, scratch, pretrained, baseline, bestTrial, trainNoise, validationNoise,
            best.Knobs.Declares(knob) ? best.Knobs.Double(knob) : best.Training.LearningRate, skipped,
            log.All.Skip(firstExperiment).ToList(), Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    /// <summary>The range test's suggestion with the checkpoint loaded into its model; null (and why, in <paramref name="skipped"/>) when it has none.</summary>
    static double? Suggest(Pipeline pipeline, string source, Stage3Options options, List<string> skipped)
    {
        if (options.SuggestLearningRate is not { } suggest) { skipped.Add("learning-rate range test: none was given"); return null; }
        var create = pipeline.CreateModel;
        var pretrained = pipeline with
        {
            CreateModel = () =>
            {
                var model = create();
                Checkpoint.LoadInto(model, source);
                return model;
            },
        };
        try
        {
            if (suggest(pretrained) is { } suggestion) return suggestion.Rate;
            skipped.Add("learning-rate range test: no rate lowered the loss of the pretrained model clearly");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            skipped.Add($"learning-rate range test: could not run ({e.GetType().Name}: {ErrorFinding.FirstMeaningfulLine(e.Message)})");
        }
        return null;
    }

    /// <summary>A rate to two significant digits (a rate is never known better than that).</summary>
    static double Rounded(double rate) => double.Parse(rate.ToString("G2", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    static string? Overruns(double predictedSeconds, Stopwatch clock, Stage3Options options)
    {
        if (options.TimeAllowed is not { } allowed) return null;
        double left = (allowed - clock.Elapsed).TotalSeconds;
        return predictedSeconds <= left ? null : $"predicted {predictedSeconds:F0} s, {Math.Max(0, left):F0} s left of stage 3's {allowed.TotalSeconds:F0} s";
    }
}
