using System.Diagnostics;
using Recipe.Checks;
using Recipe.Diagnostics;
using Recipe.Experiments;
using Recipe.Progress;

namespace Recipe.Regularization;

/// <summary>
/// Stage 4 of the recipe, regularize: give up some training loss for validation loss. First the learning curve (does
/// more data beat tuning?), then the ladder in the recipe's order — augmentation, weight decay, dropout, a smaller
/// batch, a smaller model, a larger model with early stopping — each an <see cref="Experiment"/> predicting a lower
/// validation loss, judged against the seed-to-seed noise measured here, and kept only when confirmed. Every
/// augmentation first passes the `augmentation-consistency` check on the rebuilt pipeline; a refused one is never
/// trained. At the end each kept change is removed alone (the ablation). Works on any pipeline that declares the knobs.
/// </summary>
public static class Stage4
{
    public const string StageName = "regularize";
    const string AugmentationCheck = "augmentation-consistency";

    public static Stage4Outcome Run(Pipeline start, Stage4Options? options = null, ExperimentLog? log = null, IProgressSink? progress = null)
    {
        options ??= new Stage4Options();
        var ladder = options.Ladder ?? RegularizationStep.Recipe;
        var notDeclared = ladder.Select(s => s.Knob).Distinct().Where(k => !start.Knobs.Declares(k)).ToList();
        var steps = ladder.Where(s => start.Knobs.Declares(s.Knob)).ToList();
        string? notRun = start.Rebuild is null ? "the pipeline declares no knobs (build it with Pipeline.FromKnobs to let stage 4 vary it)"
            : steps.Count == 0 ? $"the pipeline declares none of stage 4's knobs ({string.Join(", ", notDeclared)})" : null;
        if (notRun is not null)
            return new Stage4Outcome(start, notDeclared, [], 0) { NotRun = notRun, TrialSteps = options.TrialSteps, FinalTrialSteps = options.TrialSteps };
        return new Climb(start, options, log ?? new ExperimentLog(), progress ?? NullProgress.Instance).Run(steps, notDeclared);
    }

    /// <summary>One run of stage 4: the current best pipeline and its trial, the noise, and what was skipped.</summary>
    sealed class Climb(Pipeline start, Stage4Options options, ExperimentLog log, IProgressSink progress)
    {
        readonly Pipeline _start = start;
        readonly Stopwatch _clock = Stopwatch.StartNew();
        readonly List<string> _skipped = [];
        readonly List<UndecidedRegularizer> _undecided = [];
        readonly List<ExtendedTrial> _extended = [];
        readonly int _firstExperiment = log.All.Count;
        readonly Dictionary<string, EarlyStoppedMeasurement> _trialsAtSeed = []; // by the pipeline's knobs: every trial run with options.Seed
        Pipeline _best = start;
        TrialMeasurement _bestTrial = null!;
        SeedNoise _noise = null!;
        double _trialSeconds;
        int _trialSteps = options.TrialSteps; // longer once an extended rung is kept: its successors are judged at its length
        bool _bestStoppedOnValidation; // early stopping ended the best's trial: a longer one would not lower its validation loss
        string? _notOverfitting;

        public Stage4Outcome Run(IReadOnlyList<RegularizationStep> steps, IReadOnlyList<string> notDeclared)
        {
            using var bar = progress.Start(Describe("baseline"), 1);
            var baseline = EarlyStoppedTrial.Run(_start, options.Seed, options.TrialSteps, progress, $"stage 4: baseline (seed {options.Seed})");
            var repeats = Enumerable.Range(1, options.NoiseSeeds).Select(i => options.Seed + i)
                .Select(seed => EarlyStoppedTrial.Run(_start, seed, options.TrialSteps, progress, $"stage 4: baseline, noise seed {seed}").Measurement).ToList();
            _trialsAtSeed[KeyOf(_start)] = baseline;
            _bestTrial = baseline.Measurement;
            _bestStoppedOnValidation = baseline.StoppedOnValidation;
            _noise = new SeedNoise([options.Seed, .. repeats.Select(r => r.Seed)], [_bestTrial.ValidationLoss, .. repeats.Select(r => r.ValidationLoss)]);
            // what a trial costs: the slowest of the baseline's seeds (early stopping makes the length vary; the most steps
            // would overstate it many times on data where validation stops improving early)
            _trialSeconds = new[] { _bestTrial }.Concat(repeats).Max(r => r.Seconds);
            // A regularizer trades training loss for validation loss once the model overfits. A baseline whose trial ended
            // at its step limit, not on validation, was not shown to: beside it a regularizer can only show that it
            // slows fitting, so its trial would be refuted whatever it buys later (augmentation above all), and a larger
            // model stopped early has no early stop to win by (it could only win by fitting faster: capacity, which
            // stage 3 decided). The rungs are then left undecided, untried, and the time goes to the training that can
            // show it (FullLengthTrialStage).
            if (options.DeferWhenNotShownToOverfit && !baseline.StoppedOnValidation)
                _notOverfitting = $"the baseline's trial reached its limit ({options.TrialSteps} steps, best validation loss at step {baseline.BestStep}) before early " +
                                  "stopping saw its validation loss stop improving: it was not shown to overfit, so a trial this short can only show a regularizer's slower fitting";

            var (curve, curveSkipped) = MeasureLearningCurve(bar, [_bestTrial, .. repeats]);
            foreach (var step in steps) Climb1(step, bar);
            var ablation = Ablate(bar);
            bar.Advance();
            return new Stage4Outcome(_best, notDeclared, _skipped, Math.Round(_clock.Elapsed.TotalSeconds, 1))
            {
                TrialSteps = options.TrialSteps, Baseline = baseline, Noise = _noise, BestMeasurement = _bestTrial, LadderDeferred = _notOverfitting,
                LearningCurve = curve, LearningCurveSkipped = curveSkipped, Ablation = ablation, Undecided = _undecided,
                Extended = _extended, FinalTrialSteps = _trialSteps,
                Experiments = log.All.Skip(_firstExperiment).ToList(),
            };
        }

        /// <summary>
        /// The learning curve at trial length, within its share of the time. Its full-size points are the baseline's
        /// trials (the same pipeline, step cap and early stopping), so only the subsets are trained, smallest first; it
        /// is skipped only when not even the smallest size fits, and cut short (saying so) when the rest does not.
        /// </summary>
        (LearningCurveReport?, string?) MeasureLearningCurve(IProgressTask bar, IReadOnlyList<TrialMeasurement> baselineTrials)
        {
            if (!options.LearningCurve) return (null, "switched off (Stage4Options.LearningCurve; --quick-checks switches it off)");
            var fullSize = baselineTrials.Select(t => new LearningCurvePoint(_start.Data.Train.Count, t.Seed,
                LearningCurve.ErrorOf(t.ValidationLoss, t.ValidationAccuracy), t.ValidationLoss, t.Steps)).ToList();
            var curveOptions = new LearningCurveOptions { MaxSteps = options.TrialSteps, Seed = options.Seed, FullSizePoints = fullSize, PredictedTrainingSeconds = _trialSeconds };
            // a subset's training costs no more per step than a trial and stops early sooner: the slowest baseline trial bounds it
            double smallest = curveOptions.Seeds * _trialSeconds;
            if (Overruns(smallest, options.LearningCurveShare) is { } why)
            {
                _skipped.Add($"learning curve: its smallest size {why}");
                return (null, $"its smallest size {why}");
            }
            if (options.TimeAllowed is { } allowed)
                curveOptions = curveOptions with { TimeAllowed = (allowed - _clock.Elapsed) * options.LearningCurveShare };
            bar.Describe(Describe("learning curve"));
            var curve = LearningCurve.Measure(_best, curveOptions, point => bar.Describe(Describe($"learning curve, {point}")));
            if (curve.Cut is { } cut) _skipped.Add($"learning curve: {cut}");
            return (curve, null);
        }

        /// <summary>One rung of the ladder: skipped, refused, or tried as an experiment and kept only when confirmed.</summary>
        void Climb1(RegularizationStep step, IProgressTask bar)
        {
            string current = _best.Knobs[step.Knob];
            if (step.Next(_best.Knobs) is not { } value)
            {
                _skipped.Add($"{step.Kind} ({step.Knob} {current}): {step.NotApplicable}");
                return;
            }
            var knobs = new Dictionary<string, string> { [step.Knob] = value };
            string change = $"{step.Knob} {current} → {value}";
            Pipeline candidate;
            double costRatio;
            try
            {
                candidate = _best.WithKnobs(knobs);
                costRatio = TrialCost.Ratio(_best, candidate);
            }
            catch (UnknownKnobException e)
            {
                // the knob is declared (steps run only for declared knobs) but this value is not one the pipeline takes for
                // this data, e.g. an image shift on text: not a regularizer this pipeline has
                Skip(step.Kind, change, knobs, $"the pipeline does not take this value ({ErrorFinding.FirstMeaningfulLine(e.Message)})");
                return;
            }
            catch (ArgumentException e)
            {
                Skip(step.Kind, change, knobs, $"the pipeline could not be built ({ErrorFinding.FirstMeaningfulLine(e.Message)})");
                return;
            }
            bool deferred = _notOverfitting is not null; // no trial: its cost does not matter
            if (!deferred && Overruns(_trialSeconds * costRatio) is { } why) { Skip(step.Kind, change, knobs, why); return; }
            bar.Describe(Describe($"{step.Kind}: {change}"));
            var gate = new Dictionary<string, string>();
            if (step.Knob == RegularizationKnobs.Augment && value != "off")
            {
                var check = CheckSuite.Run(candidate, options.AugmentationCheck with { Seed = options.Seed }, progress, [CheckSuite.ById(AugmentationCheck)]).Checks.Single();
                gate[check.Id] = check.Verdict.Name();
                if (check.Stops || check.Verdict is Verdict.Fail or Verdict.Error)
                {
                    Refuse(step.Kind, change, knobs, step.Rationale, gate, $"{check.Id} {check.Verdict.Name()}: {check.Finding}");
                    return;
                }
            }
            if (deferred) { Defer(step.Kind, change, knobs, step.Rationale, candidate, gate); return; }
            Try(step.Kind, change, knobs, step.Rationale, candidate, gate);
        }

        /// <summary>
        /// The step limit to run a rung's trial again at, or null. Only a trial the step limit cut while its validation loss
        /// was still falling (<see cref="EarlyStoppedMeasurement.StillImproving"/>), inconclusive but already below the
        /// best's, beside a best whose own trial early stopping ended (shown to have reached its lowest, so a longer trial
        /// of it would not be lower): the trial stopped before the regularizer showed where it ends up, and the verdict
        /// leaned its way. Once per rung (never an extended trial again), and only when the time left affords it at the
        /// pace the rung's own trial measured.
        /// </summary>
        int? ExtensionFor(EarlyStoppedMeasurement run, ExperimentVerdict verdict)
        {
            int factor = options.ExtendedTrialFactor;
            if (factor <= 1 || _trialSteps >= options.TrialSteps * factor) return null;
            if (verdict != ExperimentVerdict.Inconclusive || run.Measurement.ValidationLoss >= _bestTrial.ValidationLoss) return null;
            if (!run.StillImproving || !_bestStoppedOnValidation) return null;
            if (Overruns(run.Measurement.Seconds * factor) is not null) return null;
            return _trialSteps * factor;
        }

        /// <summary>A rung not tried because the baseline was not shown to overfit: logged as skipped and left undecided.</summary>
        void Defer(string kind, string change, Dictionary<string, string> knobs, string rationale, Pipeline candidate, Dictionary<string, string> gate)
        {
            _skipped.Add($"{change}: not tried, undecided (the baseline was not shown to overfit)");
            log.Add(Entry(kind, change, knobs, rationale, Prediction.LowerBy(Metrics.ValidationLoss, options.SmallestGain, _bestTrial.ValidationLoss), candidate) with
            {
                Skipped = true, Rechecks = gate,
                Reason = $"Not tried, undecided: the baseline was not shown to overfit in {options.TrialSteps}-step trials, so a trial could only show this regularizer's slower fit.",
            });
            _undecided.Add(new UndecidedRegularizer(log.All[^1].Number, kind, change, knobs, null));
        }

        void Try(string kind, string change, Dictionary<string, string> knobs, string rationale, Pipeline candidate, Dictionary<string, string> gate)
        {
            var prediction = Prediction.LowerBy(Metrics.ValidationLoss, options.SmallestGain, _bestTrial.ValidationLoss);
            string label = $"stage 4, experiment {log.NextNumber}: {change}";
            var run = TrialOf(candidate, _trialSteps, label);
            var verdict = VerdictRule.Judge(prediction, _bestTrial.ValidationLoss, run.Measurement.ValidationLoss, _noise.Sigma);
            string extension = "";
            if (ExtensionFor(run, verdict) is { } longer)
            {
                var shortRun = run;
                run = TrialOf(candidate, longer, $"{label} (extended to {longer} steps)");
                verdict = VerdictRule.Judge(prediction, _bestTrial.ValidationLoss, run.Measurement.ValidationLoss, _noise.Sigma);
                _extended.Add(new ExtendedTrial(log.NextNumber, shortRun.Measurement.Steps, shortRun.Measurement.ValidationLoss, longer, run.Measurement.Steps,
                    run.Measurement.ValidationLoss, verdict));
                extension = $"Its {_trialSteps}-step trial ended while its validation loss was still falling ({shortRun.Measurement.ValidationLoss:G4}, " +
                            $"inconclusive but below the best's), so it was run again with at most {longer} steps; that trial is judged. ";
            }
            var trial = run.Measurement;
            bool kept = verdict == ExperimentVerdict.Confirmed;
            string reason = extension + VerdictRule.Explain(verdict, prediction, _bestTrial.ValidationLoss, trial.ValidationLoss, _noise.Sigma) + (kept ? " Kept." : " Not kept.");
            log.Add(Entry(kind, change, knobs, rationale, prediction, candidate) with
            {
                Measurement = trial, Verdict = verdict, Kept = kept, Reason = reason, Rechecks = gate,
            });
            // still improving when the step limit ended it: the trial could not show where this regularizer ends up
            if (!kept && run.StillImproving) _undecided.Add(new UndecidedRegularizer(log.All[^1].Number, kind, change, knobs, trial.ValidationLoss));
            if (!kept) return;
            _best = candidate;
            _bestTrial = trial;
            _bestStoppedOnValidation = run.StoppedOnValidation;
            if (extension.Length == 0) return;
            // the new best needed the longer trial to show its gain: every later rung is judged at that length, at its pace
            _trialSteps = _extended[^1].StepLimit;
            _trialSeconds = Math.Max(_trialSeconds, trial.Seconds);
        }

        /// <summary>An augmentation the consistency check refused: logged, never trained.</summary>
        void Refuse(string kind, string change, Dictionary<string, string> knobs, string rationale, Dictionary<string, string> gate, string finding)
        {
            _skipped.Add($"{change}: refused by {finding}");
            log.Add(Entry(kind, change, knobs, rationale, Prediction.LowerBy(Metrics.ValidationLoss, options.SmallestGain, _bestTrial.ValidationLoss), _best.WithKnobs(knobs)) with
            {
                Skipped = true, Rechecks = gate, Reason = $"Refused before any trial: {finding}. An augmentation that changes labels teaches the model wrong answers.",
            });
        }

        void Skip(string kind, string change, Dictionary<string, string> knobs, string why)
        {
            _skipped.Add($"{change}: {why}");
            log.Add(Entry(kind, change, knobs, "", Prediction.LowerBy(Metrics.ValidationLoss, options.SmallestGain, _bestTrial.ValidationLoss), _best) with
            {
                Skipped = true, Reason = $"Skipped: {why}.",
            });
        }

        /// <summary>Each knob stage 4 changed and kept, put back alone to its starting value: what the change is worth now, beside the others.</summary>
        List<AblationEntry> Ablate(IProgressTask bar)
        {
            var entries = new List<AblationEntry>();
            var changed = _best.Knobs.All.Where(k => k.Value != _start.Knobs[k.Name]).ToList();
            foreach (var knob in changed)
            {
                string without = _start.Knobs[knob.Name];
                var knobs = new Dictionary<string, string> { [knob.Name] = without };
                string change = $"ablation: without {knob.Name} {knob.Value} ({knob.Name} {without})";
                var candidate = _best.WithKnobs(knobs);
                var earlier = Repeated(candidate, _trialSteps);
                if (earlier is null && Overruns(_trialSeconds * TrialCost.Ratio(_best, candidate)) is { } why) { Skip("ablation", change, knobs, why); continue; }
                bar.Describe(Describe(change));
                // removing a change that helps raises the validation loss: the prediction of the ablation
                var prediction = new Prediction(Metrics.ValidationLoss, Direction.Higher, options.SmallestGain * Math.Abs(_bestTrial.ValidationLoss));
                var trial = (earlier ?? TrialOf(candidate, _trialSteps, $"stage 4, {change}")).Measurement;
                string reused = earlier is null ? "" : $" (Its trial is the one run earlier with these knobs and this seed: early stopping ended it at step {trial.Steps} " +
                                                       $"of {earlier.StepLimit} with a constant learning rate, so a {_trialSteps}-step limit repeats it step for step.)";
                var verdict = VerdictRule.Judge(prediction, _bestTrial.ValidationLoss, trial.ValidationLoss, _noise.Sigma);
                double worth = trial.ValidationLoss - _bestTrial.ValidationLoss;
                string meaning = verdict switch
                {
                    ExperimentVerdict.Confirmed => $"{knob.Name} {knob.Value} is worth {worth:G3} of validation loss.",
                    ExperimentVerdict.Inconclusive => $"{knob.Name} {knob.Value} is worth nothing measurable beside the other kept changes.",
                    _ => $"{knob.Name} {knob.Value} no longer pays beside the other kept changes (it stays: the ablation reports, it does not decide).",
                };
                log.Add(Entry("ablation", change, knobs, "Removing a kept change alone shows what it is worth beside the others.", prediction, candidate) with
                {
                    Measurement = trial, Verdict = verdict, Reason = $"{VerdictRule.Explain(verdict, prediction, _bestTrial.ValidationLoss, trial.ValidationLoss, _noise.Sigma)} {meaning}{reused}",
                });
                entries.Add(new AblationEntry(knob.Name, knob.Value, without, _bestTrial.ValidationLoss, trial.ValidationLoss, worth, verdict, log.All[^1].Number));
            }
            return entries;
        }

        /// <summary>A trial of <paramref name="pipeline"/> with options.Seed: one run earlier that a run now would repeat, or a new run.</summary>
        EarlyStoppedMeasurement TrialOf(Pipeline pipeline, int limit, string label)
        {
            if (Repeated(pipeline, limit) is { } earlier) return earlier;
            var run = EarlyStoppedTrial.Run(pipeline, options.Seed, limit, progress, label);
            _trialsAtSeed[KeyOf(pipeline)] = run;
            return run;
        }

        /// <summary>The trial run earlier with these knobs and options.Seed that a run with this limit would repeat step for step, or null.</summary>
        EarlyStoppedMeasurement? Repeated(Pipeline pipeline, int limit) =>
            _trialsAtSeed.TryGetValue(KeyOf(pipeline), out var earlier) && earlier.RepeatsAt(limit) ? earlier : null;

        static string KeyOf(Pipeline pipeline) => string.Join(";", pipeline.Knobs.All.OrderBy(k => k.Name, StringComparer.Ordinal).Select(k => $"{k.Name}={k.Value}"));

        Experiment Entry(string kind, string change, Dictionary<string, string> knobs, string rationale, Prediction prediction, Pipeline pipeline) => new()
        {
            Number = log.NextNumber, Stage = StageName, Kind = kind, Change = change, Knobs = knobs, Rationale = rationale, Prediction = prediction,
            Pipeline = pipeline.Description, Baseline = _bestTrial.ValidationLoss, NoiseSigma = _noise.Sigma, Reason = "",
        };

        /// <summary>Why a step predicted to take <paramref name="seconds"/> would overrun (its share of) the time allowed; null when it fits.</summary>
        string? Overruns(double seconds, double share = 1.0)
        {
            if (options.TimeAllowed is not { } allowed) return null;
            double left = (allowed - _clock.Elapsed).TotalSeconds * share;
            if (seconds <= left) return null;
            string of = share < 1 ? $"its {share:P0} share of what is left of stage 4's {allowed.TotalSeconds:F0} s" : $"what is left of stage 4's {allowed.TotalSeconds:F0} s";
            return $"predicted {seconds:F0} s, {Math.Max(0, left):F0} s left in {of}";
        }

        string Describe(string what) =>
            $"stage 4 (regularize): {what}" + (options.TimeAllowed is { } allowed ? $", {Math.Max(0, (allowed - _clock.Elapsed).TotalSeconds):F0} s left" : "");
    }
}
