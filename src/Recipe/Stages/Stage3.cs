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

    /// <summary>
    /// The learning-rate range test run on the first rung of a new architecture, whose trial then trains at the rate it
    /// suggests; null: every rung trains at the best pipeline's rate. A rate tuned for one architecture can be far from
    /// another's (on words the charconv's range test gives 0.011, the zoo's GRU learns best near 2e-3), so comparing a new
    /// architecture at the incumbent's rate judges the rate as much as the architecture.
    /// </summary>
    public Func<Pipeline, LearningRateSuggestion?>? SuggestLearningRateForArchitecture { get; init; }

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

    /// <summary>
    /// The climb stops after this many architectures in a row of which no rung lowered the training loss. The zoo orders
    /// architectures by cost, so after two misses the next, costlier one is the least likely win for its time.
    /// </summary>
    public int ArchitecturesWithoutGain { get; init; } = 2;

    /// <summary>
    /// Trial length: every first trial has the same steps (<see cref="TrialSteps"/>), which favours small fast learners.
    /// A candidate that the first trial cannot decide (inconclusive) or that is behind but still falling faster than the
    /// best gets a second trial this many times as long, beside the best at the same length, when the time allows. 1: never.
    /// </summary>
    public int LongerTrialFactor { get; init; } = 2;

    /// <summary>
    /// Keep a change only when its validation loss is not worse than the best's beyond the seed-to-seed noise of the
    /// validation loss: the kept pipeline is what `recipe run` trains next, so stage 3 must never leave it worse.
    /// </summary>
    public bool KeepValidation { get; init; } = true;
}

/// <summary>One comparison's judgement: the verdict on training loss, whether the change is kept, and why.</summary>
sealed record Judged(ExperimentVerdict Verdict, bool Kept, string Reason, Prediction Prediction, double Sigma, IReadOnlyDictionary<string, string> Rechecks);

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
    /// <summary>The seed-to-seed noise of the baseline's validation loss (the band a kept change's validation loss may not rise beyond).</summary>
    public SeedNoise? ValidationNoise { get; init; }
    /// <summary>Steps of the second, longer trial given to candidates the first could not decide.</summary>
    public int LongerTrialSteps { get; init; }
    /// <summary>The stopping criterion in words (what <see cref="StopReason"/> is one case of).</summary>
    public string StopRule { get; init; } = "";
}

/// <summary>
/// Stage 3 of the recipe, overfit: from the checked skeleton, try the learning-rate range test's suggestion, then grow
/// capacity one rung at a time, wider/deeper within an architecture, then the next architecture; stop when the training
/// loss is near its floor, the ladder is exhausted, <see cref="Stage3Options.ArchitecturesWithoutGain"/> architectures in
/// a row did not help, or no rung fits the time left (a rung that would overrun it is skipped with the larger rungs of its
/// architecture, and the next architecture is tried). Every change is an
/// <see cref="Experiment"/> in the log. Works on any pipeline that declares knobs.
/// </summary>
public static class Stage3
{
    const string StageName = "overfit";
    const string CapacityKind = "capacity";

    public static Stage3Outcome Run(Pipeline skeleton, Stage3Options? options = null, ExperimentLog? log = null, IProgressSink? progress = null)
    {
        options ??= new Stage3Options();
        log ??= new ExperimentLog();
        progress ??= NullProgress.Instance;
        var clock = Stopwatch.StartNew();
        int firstExperiment = log.All.Count;
        var data = skeleton.Data;
        int steps = options.TrialSteps ?? DefaultTrialSteps(skeleton);
        int longSteps = steps * options.LongerTrialFactor;
        var skipped = new List<string>();
        using var bar = progress.Start(Describe("baseline", clock, options), 1);

        // the baseline, and the noise: the same pipeline with other seeds
        double lossAtInit = Trial.LossAtInit(skeleton, options.Seed);
        var baseline = Trial.Run(skeleton, options.Seed, steps, progress, $"stage 3: baseline (seed {options.Seed})");
        var repeats = Enumerable.Range(1, options.NoiseSeeds).Select(i => options.Seed + i)
            .Select(seed => Trial.Run(skeleton, seed, steps, progress, $"stage 3: baseline, noise seed {seed}")).ToList();
        List<TrialMeasurement> seeds = [baseline, .. repeats];
        var noise = new SeedNoise(seeds.Select(r => r.Seed).ToList(), seeds.Select(r => r.TrainLoss).ToList());
        var validationNoise = new SeedNoise(noise.Seeds, seeds.Select(r => r.ValidationLoss).ToList());
        var endDropNoise = new SeedNoise(noise.Seeds, seeds.Select(r => CurveTrend.EndDrop(r.Curve)).ToList());
        double floor = options.NearFloorFraction * lossAtInit;
        var ladder = new List<LadderPoint> { new(Rung(skeleton), baseline.TrainLoss, baseline.ValidationLoss, true) };

        var best = skeleton;
        var bestTrial = baseline;
        TrialMeasurement? bestLong = null; // the best pipeline's longer trial, once one was needed
        string stop = "";
        bool NearFloor() => bestTrial.TrainLoss <= floor;

        // One comparison of a candidate with the best at equal steps: the verdict on training loss against the noise, then
        // the conditions for keeping it (validation loss not worse beyond its noise, the fast checks still pass).
        Judged Judge(
            Pipeline candidate, TrialMeasurement before, TrialMeasurement after, double scale)
        {
            var prediction = Prediction.LowerBy(Metrics.TrainLoss, options.SmallestGain, before.TrainLoss);
            double sigma = noise.Sigma * scale;
            var verdict = VerdictRule.Judge(prediction, before.TrainLoss, after.TrainLoss, sigma);
            string reason = VerdictRule.Explain(verdict, prediction, before.TrainLoss, after.TrainLoss, sigma);
            var rechecks = new Dictionary<string, string>();
            if (verdict != ExperimentVerdict.Confirmed) return new(verdict, false, reason, prediction, sigma, rechecks);
            // stage 3 looks for capacity, but the pipeline it keeps is the one `recipe run` trains: never trade validation for training loss
            double validationBand = validationNoise.Band * (before.ValidationLoss / Math.Max(baseline.ValidationLoss, 1e-12));
            if (options.KeepValidation && !(after.ValidationLoss <= before.ValidationLoss + validationBand))
                return new(verdict, false, reason + $" Not kept: the lowest validation loss of the trial rose {before.ValidationLoss:G4} → {after.ValidationLoss:G4}, beyond its noise band ±{validationBand:G3}.", prediction, sigma, rechecks);
            var suite = Recheck.Run(best, candidate, options.Rechecks with { Seed = options.Seed }, progress);
            foreach (var check in suite.Checks) rechecks[check.Id] = check.Verdict.Name();
            if (suite.Stops) return new(verdict, false, reason + $" Not kept: {string.Join(", ", suite.Stopping.Select(c => c.Id))} failed on the changed pipeline.", prediction, sigma, rechecks);
            return new(verdict, true, reason + " Kept.", prediction, sigma, rechecks);
        }

        // a verdict other than confirmed ends "Not kept."; a confirmed change that was not kept already says why
        static Judged Closed(Judged judged) =>
            judged.Kept || judged.Verdict == ExperimentVerdict.Confirmed ? judged : judged with { Reason = judged.Reason + " Not kept." };

        void Record(string kind, string change, IReadOnlyDictionary<string, string> knobs, string rationale, Pipeline candidate, TrialMeasurement before, TrialMeasurement after,
            Judged judged) =>
            log.Add(new Experiment
            {
                Number = log.NextNumber, Stage = StageName, Kind = kind, Change = change, Knobs = knobs, Rationale = rationale,
                Prediction = judged.Prediction, Pipeline = candidate.Description, Baseline = before.TrainLoss, NoiseSigma = judged.Sigma,
                Measurement = after, Verdict = judged.Verdict, Kept = judged.Kept, Reason = judged.Reason, Rechecks = judged.Rechecks,
            });

        // returns the trial when the change was kept
        TrialMeasurement? Try(string kind, string change, IReadOnlyDictionary<string, string> knobs, string rationale)
        {
            bar.Describe(Describe($"{kind}: {change}", clock, options));
            var candidate = best.WithKnobs(knobs);
            var trial = Trial.Run(candidate, options.Seed, steps, progress, $"stage 3, experiment {log.NextNumber}: {change}");
            var judged = Judge(candidate, bestTrial, trial, 1);
            if (kind == CapacityKind) ladder.Add(new LadderPoint(change.Split(" → ")[^1], trial.TrainLoss, trial.ValidationLoss, judged.Kept));
            string? lookLonger = judged.Verdict switch
            {
                ExperimentVerdict.Confirmed => null,
                ExperimentVerdict.Inconclusive => "the short trial cannot tell them apart",
                _ when CurveTrend.StillCatchingUp(bestTrial, trial, endDropNoise) => "its curve was still falling faster than the best's when the trial ended",
                _ => null,
            };
            if (lookLonger is not null && options.LongerTrialFactor > 1)
            {
                double cost = (bestLong is null ? bestTrial.Seconds * options.LongerTrialFactor : 0) + trial.Seconds * options.LongerTrialFactor;
                if (Overruns(cost, clock, options) is { } why)
                    judged = judged with { Reason = judged.Reason + $" A {longSteps}-step trial could decide it ({lookLonger}) but was skipped: {why}." };
                else
                {
                    Record(kind, change, knobs, rationale, candidate, bestTrial, trial,
                        judged with { Reason = judged.Reason + $" Not decided: {lookLonger}; experiment {log.NextNumber + 1} compares them at {longSteps} steps." });
                    return TryLonger(kind, change, knobs, candidate, trial);
                }
            }
            Record(kind, change, knobs, rationale, candidate, bestTrial, trial, Closed(judged));
            if (!judged.Kept) return null;
            best = candidate;
            bestTrial = trial;
            bestLong = null;
            return trial;
        }

        // The second, longer trial for a candidate the short one could not separate from the best: both at longSteps, the
        // same seed. The seed-to-seed σ was measured at the short length; it is scaled by how much lower the best's
        // training loss is after the longer trial (the noise held at the same fraction of the loss level it was measured at).
        TrialMeasurement? TryLonger(string kind, string change, IReadOnlyDictionary<string, string> knobs, Pipeline candidate, TrialMeasurement shortTrial)
        {
            bestLong ??= Trial.Run(best, options.Seed, longSteps, progress, $"stage 3: the best at {longSteps} steps");
            var longTrial = Trial.Run(candidate, options.Seed, longSteps, progress, $"stage 3, experiment {log.NextNumber}: {change} at {longSteps} steps");
            double scale = bestLong.TrainLoss / Math.Max(bestTrial.TrainLoss, 1e-12);
            var judged = Judge(candidate, bestLong, longTrial, scale);
            Record($"{kind}-longer", $"{change} ({longSteps} steps)", knobs,
                $"A second trial {options.LongerTrialFactor}× as long for a candidate the first could not decide: a larger model can start slower and catch up.",
                candidate, bestLong, longTrial, Closed(judged));
            if (!judged.Kept) return null;
            if (kind == CapacityKind) ladder[^1] = ladder[^1] with { Kept = true };
            best = candidate;
            bestTrial = shortTrial; // later rungs are compared at the short length again
            bestLong = longTrial;
            return shortTrial;
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

        // Grow capacity: wider/deeper within an architecture while each rung lowers the training loss as predicted; a rung
        // that does not moves the climb to the next architecture (its larger rungs are skipped: if one step up did not help,
        // a bigger one of the same shape is not the cheapest next try). Stop near the floor, at the ladder's end, after
        // ArchitecturesWithoutGain architectures in a row that did not help, or when not even a rung as fast as the best fits
        // the time left; a rung that would overrun it is skipped with the larger rungs of its architecture.
        var rungs = options.Ladder ?? CapacityRung.Above(best, data);
        string? climbing = null; // the architecture whose rungs are being tried
        bool helped = false; // whether a rung of it was kept
        string? abandoned = null;
        string? tooCostly = null; // an architecture whose next rung would overrun the time: its larger rungs would too
        var overran = new List<string>(); // the rungs skipped because their trial would overrun the time
        var unhelpful = new List<string>(); // the architectures in a row that did not help, with their deciding rung
        double? bestStepSeconds = null; // the best pipeline's measured seconds per step, for predicting a rung's trial time
        string? bestArchitecture = Architecture(best); // the best's architecture: a rung of another starts at its own learning rate
        for (int i = 0; i < rungs.Count; i++)
        {
            var rung = rungs[i];
            string change = $"{Rung(best)} → {rung.Name}";
            if (rung.Family != climbing)
            {
                if (helped) unhelpful.Clear();
                if (unhelpful.Count >= options.ArchitecturesWithoutGain)
                {
                    foreach (var left in rungs.Skip(i)) Skip(CapacityKind, $"{Rung(best)} → {left.Name}", left.Knobs, $"{unhelpful.Count} architectures in a row did not help");
                    stop = $"{unhelpful.Count} architectures in a row did not lower the training loss ({string.Join("; ", unhelpful)})";
                    break;
                }
                climbing = rung.Family;
                helped = false;
            }
            if (NearFloor()) { stop = $"the training loss {bestTrial.TrainLoss:G4} is near its floor (at most {options.NearFloorFraction:P0} of the loss at init {lossAtInit:G4})"; break; }
            if (abandoned == rung.Family)
            {
                Skip(CapacityKind, change, rung.Knobs, $"a smaller rung of {rung.Family} did not help; the climb moved on to the next architecture");
                continue;
            }
            if (tooCostly == rung.Family)
            {
                Skip(CapacityKind, change, rung.Knobs, $"a smaller rung of {rung.Family} would already overrun stage 3's time");
                continue;
            }
            // no rung steps faster than the best (the cost ratio is at least 1): when even the best's own trial no longer fits, nothing will
            if (Overruns(bestTrial.Seconds, clock, options) is { } noneFits)
            {
                foreach (var left in rungs.Skip(i)) Skip(CapacityKind, $"{Rung(best)} → {left.Name}", left.Knobs, noneFits);
                stop = $"time: the next rung ({rung.Name}) would overrun stage 3's time";
                break;
            }
            double costRatio;
            try
            {
                bestStepSeconds ??= Trial.SecondsPerStep(best, options.Seed);
                costRatio = CostRatio(best, best.WithKnobs(rung.Knobs), bestStepSeconds.Value, options.Seed);
            }
            catch (ArgumentException e) when (e is not UnknownKnobException)
            {
                Skip(CapacityKind, change, rung.Knobs, $"the model could not be built ({ErrorFinding.FirstMeaningfulLine(e.Message)})");
                continue;
            }
            if (Overruns(bestTrial.Seconds * costRatio, clock, options) is { } why)
            {
                // The ladder grows in cost within an architecture, not across them (on text charconv 128 steps ≈3.9× slower
                // than charconv 64, the next architecture's GRU 128 ≈1.6×): the larger rungs of this one are skipped, and
                // the next architecture's first rung is measured and tried if it fits.
                Skip(CapacityKind, change, rung.Knobs, $"{why} (cost {costRatio:F1}× the best's step)");
                tooCostly = rung.Family;
                overran.Add(rung.Name);
                continue;
            }
            var (knobs, rateNote) = rung.Family == bestArchitecture ? (rung.Knobs, "") : OwnLearningRate(rung);
            if (Try(CapacityKind, change + rateNote, knobs, "A larger model fits the same training data better: the training loss should fall.") is not null)
            {
                helped = true;
                bestArchitecture = rung.Family;
                bestStepSeconds = null;
                continue;
            }
            abandoned = rung.Family;
            var decided = log.All[^1];
            unhelpful.Add($"{rung.Family}: {rung.Name} {decided.Verdict!.Value.ToString().ToLowerInvariant()}");
        }

        // The rung's knobs with the learning rate its range test suggests, and the note the experiment's name gets; the rung's
        // own knobs when there is no test, the pipeline has no rate knob, the rung sets one, or the test suggests none.
        (IReadOnlyDictionary<string, string> Knobs, string Note) OwnLearningRate(CapacityRung rung)
        {
            string knob = options.LearningRateKnob;
            if (options.SuggestLearningRateForArchitecture is not { } suggest || !best.Knobs.Declares(knob) || rung.Knobs.ContainsKey(knob)) return (rung.Knobs, "");
            LearningRateSuggestion? suggestion;
            try
            {
                suggestion = suggest(best.WithKnobs(rung.Knobs));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                skipped.Add($"{rung.Name} learning rate: the range test could not run ({e.GetType().Name}: {ErrorFinding.FirstMeaningfulLine(e.Message)}); it trains at {best.Knobs[knob]}");
                return (rung.Knobs, "");
            }
            if (suggestion is null) return (rung.Knobs, "");
            string rate = KnobValues.Text(suggestion.Rate);
            return (new Dictionary<string, string>(rung.Knobs) { [knob] = rate }, $" (lr {rate}, its range test's)");
        }

        if (stop == "" && overran.Count > 0) stop = $"time: {string.Join(", ", overran)} would overrun stage 3's time; the other architectures were tried";
        if (stop == "") stop = rungs.Count == 0 ? "no capacity ladder to climb" : NearFloor() ? "reached the training-loss floor at the top of the ladder" : "ladder exhausted: climbed the whole ladder";
        bar.Advance();
        return new Stage3Outcome(best, baseline, noise, lossAtInit, floor, NearFloor(), steps, stop, skipped, ladder, Math.Round(clock.Elapsed.TotalSeconds, 1))
        {
            BestMeasurement = bestTrial,
            Experiments = log.All.Skip(firstExperiment).ToList(),
            ValidationNoise = validationNoise,
            LongerTrialSteps = longSteps,
            StopRule = $"stop when the training loss is at most {options.NearFloorFraction:P0} of the loss at init, the ladder is exhausted, " +
                       $"{options.ArchitecturesWithoutGain} architectures in a row had no kept rung, or no rung fits stage 3's time left " +
                       "(a rung that would overrun it is skipped with its architecture's larger rungs, and the next architecture tried)",
        };
    }

    /// <summary>A quarter of the training the skeleton would get by default: enough passes to tell model sizes apart, cheap enough to try several.</summary>
    public static int DefaultTrialSteps(Pipeline skeleton)
    {
        using var probe = skeleton.CreateModel();
        long multiplyAdds = TrainingLength.MultiplyAddsPerExample(probe, skeleton.Transform, skeleton.Data.Train);
        return Math.Max(10, TrainingLength.Steps(multiplyAdds, skeleton.Training.BatchSize, skeleton.Data.Train.Count, TrainingLength.BudgetExamples(skeleton.Data.Train)) / 4);
    }

    /// <summary>
    /// How much more a step of <paramref name="candidate"/> costs than one of <paramref name="current"/>: the model is built
    /// first (a rung that cannot be built fails here, cheaply), then a few steps of it are timed. Measured, not counted in
    /// multiply-adds: on a small table a step's fixed overhead dominates and a 50× larger MLP steps barely slower. Never
    /// less than 1 (a timing on a loaded machine can come out short).
    /// </summary>
    static double CostRatio(Pipeline current, Pipeline candidate, double currentStepSeconds, long seed)
    {
        using (candidate.CreateModel()) { }
        return Math.Max(1, Trial.SecondsPerStep(candidate, seed) / Math.Max(currentStepSeconds, 1e-9));
    }

    static string? Overruns(double predictedSeconds, Stopwatch clock, Stage3Options options)
    {
        if (options.TimeAllowed is not { } allowed) return null;
        double left = (allowed - clock.Elapsed).TotalSeconds;
        return predictedSeconds <= left ? null : $"predicted {predictedSeconds:F0} s, {Math.Max(0, left):F0} s left of stage 3's {allowed.TotalSeconds:F0} s";
    }

    static string Describe(string what, Stopwatch clock, Stage3Options options) =>
        $"stage 3 (overfit): {what}" + (options.TimeAllowed is { } allowed ? $", {Math.Max(0, (allowed - clock.Elapsed).TotalSeconds):F0} s left" : "");

    /// <summary>The architecture of a pipeline with Recipe's model knobs (<see cref="Models.ModelLadder.Architecture"/>); null for a user's pipeline.</summary>
    static string? Architecture(Pipeline pipeline)
    {
        var k = pipeline.Knobs;
        if (!k.Declares(DefaultKnobs.Model) || !k.Declares(DefaultKnobs.Width)) return null;
        return Models.ModelLadder.Architecture(new Models.ModelChoice(k[DefaultKnobs.Model], k.Int(DefaultKnobs.Width), k.Declares(DefaultKnobs.Depth) ? k.Int(DefaultKnobs.Depth) : 1));
    }

    /// <summary>The rung a pipeline stands on: its model knobs, or all its knobs for a user's pipeline.</summary>
    static string Rung(Pipeline pipeline)
    {
        var k = pipeline.Knobs;
        if (!k.Declares(DefaultKnobs.Model)) return k.ToString() is { Length: > 0 } all ? all : "skeleton";
        return new Models.ModelChoice(k[DefaultKnobs.Model], k.Int(DefaultKnobs.Width), k.Declares(DefaultKnobs.Depth) ? k.Int(DefaultKnobs.Depth) : 1).ToString();
    }
}
