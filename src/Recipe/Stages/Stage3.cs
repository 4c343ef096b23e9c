using System.Diagnostics;
using Recipe.Checks;
using Recipe.Experiments;
using Recipe.Progress;
using Recipe.Training;

namespace Recipe.Stages;

/// <summary>What stage 3 is asked to do. Every default is a rule stated here, not a number tuned on one dataset.</summary>
public sealed record Stage3Options
{
    /// <summary>Seeds every trial; the noise seeds are the next ones (seed + 1, seed + 2, …).</summary>
    public long Seed { get; init; }

    /// <summary>Optimizer steps of every trial; null: a quarter of the skeleton's default training (<see cref="TrainingLength.Steps"/>).</summary>
    public int? TrialSteps { get; init; }

    /// <summary>Extra seeds the baseline is repeated with to measure seed-to-seed noise (2: three values, the fewest that give a spread with a spread).</summary>
    public int NoiseSeeds { get; init; } = 2;

    /// <summary>The capacity ladder to climb; null: the zoo's ladder above the pipeline's model (<see cref="CapacityRung.Above"/>).</summary>
    public IReadOnlyList<CapacityRung>? Ladder { get; init; }

    /// <summary>The learning-rate range test; null: no learning-rate experiment.</summary>
    public Func<Pipeline, LearningRateSuggestion?>? SuggestLearningRate { get; init; }

    /// <summary>The knob the learning-rate experiment sets.</summary>
    public string LearningRateKnob { get; init; } = DefaultKnobs.LearningRate;

    /// <summary>Wall time stage 3 may use; an experiment predicted to overrun it is skipped and reported. Null: no limit.</summary>
    public TimeSpan? TimeAllowed { get; init; }

    /// <summary>Budgets of the stage-2 checks re-run after each kept change.</summary>
    public CheckOptions Rechecks { get; init; } = CheckOptions.Quick;

    /// <summary>
    /// The smallest change that counts: a capacity rung or a learning rate is predicted to lower the training loss by at
    /// least this fraction of the current best's. Smaller gains are not worth a bigger model's cost.
    /// </summary>
    public double SmallestGain { get; init; } = 0.05;

    /// <summary>
    /// "Near its floor": the training loss is at most this fraction of the loss at initialisation (which, with the final
    /// layer set from the priors, is the loss of predicting the priors). Below it a bigger model has little left to fit.
    /// </summary>
    public double NearFloorFraction { get; init; } = 0.05;
}

/// <summary>The learning-rate range test's answer, as stage 3 uses it.</summary>
public sealed record LearningRateSuggestion(double Rate, string Explanation);

/// <summary>One point of the capacity-ladder picture: a pipeline's trial, and whether it became the best.</summary>
public sealed record LadderPoint(string Rung, double TrainLoss, double ValidationLoss, bool Kept);

/// <summary>Stage 3's result: the best pipeline, the experiments that led to it, and what the budget left untried.</summary>
public sealed record Stage3Outcome(
    Pipeline Best,
    TrialMeasurement Baseline,
    SeedNoise Noise,
    double LossAtInit,
    double FloorThreshold,
    bool NearFloor,
    int TrialSteps,
    string StopReason,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<LadderPoint> Ladder,
    double Seconds)
{
    public TrialMeasurement BestMeasurement { get; init; } = Baseline;
    /// <summary>The experiments this stage ran (or skipped), in order.</summary>
    public IReadOnlyList<Experiment> Experiments { get; init; } = [];
}

/// <summary>
/// Stage 3 of the recipe, overfit: from the checked skeleton, try the learning-rate range test's suggestion, then grow
/// capacity one rung at a time while each rung lowers the training loss as predicted; stop when the training loss is
/// near its floor, a rung does not help, or the next rung would overrun the time allowed. Every change is an
/// <see cref="Experiment"/> in the log. Works on any pipeline that declares knobs.
/// </summary>
public static class Stage3
{
    const string StageName = "overfit";

    public static Stage3Outcome Run(Pipeline skeleton, Stage3Options? options = null, ExperimentLog? log = null, IProgressSink? progress = null)
    {
        options ??= new Stage3Options();
        log ??= new ExperimentLog();
        progress ??= NullProgress.Instance;
        var clock = Stopwatch.StartNew();
        int firstExperiment = log.All.Count;
        var data = skeleton.Data;
        int steps = options.TrialSteps ?? DefaultTrialSteps(skeleton);
        var skipped = new List<string>();
        using var bar = progress.Start(Describe("baseline", clock, options), 1);

        // the baseline, and the noise: the same pipeline with other seeds
        double lossAtInit = Trial.LossAtInit(skeleton, options.Seed);
        var baseline = Trial.Run(skeleton, options.Seed, steps, progress, $"stage 3: baseline (seed {options.Seed})");
        var repeats = Enumerable.Range(1, options.NoiseSeeds).Select(i => options.Seed + i)
            .Select(seed => Trial.Run(skeleton, seed, steps, progress, $"stage 3: baseline, noise seed {seed}")).ToList();
        var noise = new SeedNoise([options.Seed, .. repeats.Select(r => r.Seed)], [baseline.TrainLoss, .. repeats.Select(r => r.TrainLoss)]);
        double floor = options.NearFloorFraction * lossAtInit;
        var ladder = new List<LadderPoint> { new(Rung(skeleton), baseline.TrainLoss, baseline.ValidationLoss, true) };

        var best = skeleton;
        var bestTrial = baseline;
        string stop = "";
        bool NearFloor() => bestTrial.TrainLoss <= floor;

        // returns the trial when the change was kept
        TrialMeasurement? Try(string kind, string change, IReadOnlyDictionary<string, string> knobs, string rationale)
        {
            bar.Describe(Describe($"{kind}: {change}", clock, options));
            var candidate = best.WithKnobs(knobs);
            var prediction = Prediction.LowerBy(Metrics.TrainLoss, options.SmallestGain, bestTrial.TrainLoss);
            var trial = Trial.Run(candidate, options.Seed, steps, progress, $"stage 3, experiment {log.NextNumber}: {change}");
            var verdict = VerdictRule.Judge(prediction, bestTrial.TrainLoss, trial.TrainLoss, noise.Sigma);
            string reason = VerdictRule.Explain(verdict, prediction, bestTrial.TrainLoss, trial.TrainLoss, noise.Sigma);
            bool kept = verdict == ExperimentVerdict.Confirmed;
            var rechecks = new Dictionary<string, string>();
            if (kept)
            {
                var suite = Recheck.Run(candidate, options.Rechecks with { Seed = options.Seed }, progress);
                foreach (var check in suite.Checks) rechecks[check.Id] = check.Verdict.Name();
                if (suite.Stops)
                {
                    kept = false;
                    reason += $" Not kept: {string.Join(", ", suite.Stopping.Select(c => c.Id))} failed on the changed pipeline.";
                }
                else reason += " Kept.";
            }
            else reason += " Not kept.";
            log.Add(new Experiment
            {
                Number = log.NextNumber, Stage = StageName, Kind = kind, Change = change, Knobs = knobs, Rationale = rationale,
                Prediction = prediction, Pipeline = candidate.Description, Baseline = bestTrial.TrainLoss, NoiseSigma = noise.Sigma,
                Measurement = trial, Verdict = verdict, Kept = kept, Reason = reason, Rechecks = rechecks,
            });
            if (kind == "capacity") ladder.Add(new LadderPoint(change.Split(" → ")[^1], trial.TrainLoss, trial.ValidationLoss, kept));
            if (!kept) return null;
            best = candidate;
            bestTrial = trial;
            return trial;
        }

        void Skip(string kind, string change, IReadOnlyDictionary<string, string> knobs, string why)
        {
            skipped.Add($"{change}: {why}");
            log.Add(new Experiment
            {
                Number = log.NextNumber, Stage = StageName, Kind = kind, Change = change, Knobs = knobs, Rationale = "",
                Prediction = Prediction.LowerBy(Metrics.TrainLoss, options.SmallestGain, bestTrial.TrainLoss), Pipeline = best.Description,
                Baseline = bestTrial.TrainLoss, NoiseSigma = noise.Sigma, Skipped = true, Reason = $"Skipped: {why}.",
            });
        }

        // the learning-rate range test's suggestion: an experiment like any other, kept only if it wins
        if (options.SuggestLearningRate is null) skipped.Add("learning rate: no learning-rate range test was given");
        else if (best.Knobs.Declares(options.LearningRateKnob)) TryLearningRate(options.SuggestLearningRate);

        void TryLearningRate(Func<Pipeline, LearningRateSuggestion?> suggest)
        {
            LearningRateSuggestion? suggestion;
            try
            {
                suggestion = suggest(best);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                skipped.Add($"learning rate: the range test could not run ({e.GetType().Name}: {ErrorFinding.FirstMeaningfulLine(e.Message)})");
                return;
            }
            string current = best.Knobs[options.LearningRateKnob];
            if (suggestion is null) { skipped.Add("learning rate: the range test made no suggestion (no rate lowered the loss)"); return; }
            var knobs = new Dictionary<string, string> { [options.LearningRateKnob] = KnobValues.Text(suggestion.Rate) };
            string change = $"lr {current} → {knobs[options.LearningRateKnob]}";
            if (knobs[options.LearningRateKnob] == current) skipped.Add($"learning rate: the range test suggests the current {current}");
            else if (Overruns(bestTrial.Seconds, clock, options) is { } why) Skip("learning-rate", change, knobs, why);
            else Try("learning-rate", change, knobs, $"The learning-rate range test suggests it: {suggestion.Explanation}");
        }

        // grow capacity while each rung lowers the training loss as predicted
        var rungs = options.Ladder ?? CapacityRung.Above(best, data);
        for (int i = 0; i < rungs.Count; i++)
        {
            var rung = rungs[i];
            string change = $"{Rung(best)} → {rung.Name}";
            if (NearFloor()) { stop = $"the training loss {bestTrial.TrainLoss:G4} is near its floor (at most {options.NearFloorFraction:P0} of the loss at init {lossAtInit:G4})"; break; }
            double costRatio;
            try
            {
                costRatio = CostRatio(best, best.WithKnobs(rung.Knobs));
            }
            catch (ArgumentException e) when (e is not UnknownKnobException)
            {
                Skip("capacity", change, rung.Knobs, $"the model could not be built ({ErrorFinding.FirstMeaningfulLine(e.Message)})");
                continue;
            }
            if (Overruns(bestTrial.Seconds * costRatio, clock, options) is { } why)
            {
                foreach (var left in rungs.Skip(i)) Skip("capacity", $"{Rung(best)} → {left.Name}", left.Knobs, why);
                stop = $"the next rung ({rung.Name}) would overrun stage 3's time";
                break;
            }
            if (Try("capacity", change, rung.Knobs, "A larger model fits the same training data better: the training loss should fall.") is null)
            {
                stop = $"{rung.Name} did not lower the training loss as predicted ({log.All[^1].Verdict!.Value.ToString().ToLowerInvariant()})";
                break;
            }
        }
        if (stop == "") stop = rungs.Count == 0 ? "no capacity ladder to climb" : NearFloor() ? "reached the training-loss floor at the top of the ladder" : "climbed the whole ladder";
        bar.Advance();
        return new Stage3Outcome(best, baseline, noise, lossAtInit, floor, NearFloor(), steps, stop, skipped, ladder, Math.Round(clock.Elapsed.TotalSeconds, 1))
        {
            BestMeasurement = bestTrial,
            Experiments = log.All.Skip(firstExperiment).ToList(),
        };
    }

    /// <summary>A quarter of the training the skeleton would get by default: enough passes to tell model sizes apart, cheap enough to try several.</summary>
    public static int DefaultTrialSteps(Pipeline skeleton)
    {
        using var probe = skeleton.CreateModel();
        long multiplyAdds = TrainingLength.MultiplyAddsPerExample(probe, skeleton.Transform, skeleton.Data.Train);
        return Math.Max(10, TrainingLength.Steps(multiplyAdds, skeleton.Training.BatchSize, skeleton.Data.Train.Count) / 4);
    }

    /// <summary>How much more a step of <paramref name="candidate"/> costs than one of <paramref name="current"/> (multiply-adds; never less than 1, as a step has a fixed overhead).</summary>
    static double CostRatio(Pipeline current, Pipeline candidate)
    {
        using var a = current.CreateModel();
        using var b = candidate.CreateModel();
        double before = TrainingLength.MultiplyAddsPerExample(a, current.Transform, current.Data.Train);
        double after = TrainingLength.MultiplyAddsPerExample(b, candidate.Transform, candidate.Data.Train);
        return Math.Max(1, after / Math.Max(before, 1));
    }

    static string? Overruns(double predictedSeconds, Stopwatch clock, Stage3Options options)
    {
        if (options.TimeAllowed is not { } allowed) return null;
        double left = (allowed - clock.Elapsed).TotalSeconds;
        return predictedSeconds <= left ? null : $"predicted {predictedSeconds:F0} s, {Math.Max(0, left):F0} s left of stage 3's {allowed.TotalSeconds:F0} s";
    }

    static string Describe(string what, Stopwatch clock, Stage3Options options) =>
        $"stage 3 (overfit): {what}" + (options.TimeAllowed is { } allowed ? $", {Math.Max(0, (allowed - clock.Elapsed).TotalSeconds):F0} s left" : "");

    /// <summary>The rung a pipeline stands on: its model knobs, or all its knobs for a user's pipeline.</summary>
    static string Rung(Pipeline pipeline)
    {
        var k = pipeline.Knobs;
        if (!k.Declares(DefaultKnobs.Model)) return k.ToString() is { Length: > 0 } all ? all : "skeleton";
        return new Models.ModelChoice(k[DefaultKnobs.Model], k.Int(DefaultKnobs.Width), k.Declares(DefaultKnobs.Depth) ? k.Int(DefaultKnobs.Depth) : 1).ToString();
    }
}
