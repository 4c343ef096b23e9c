using System.Diagnostics;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Experiments;
using Recipe.Models;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>What asking the final model about shifted copies of each image did on validation.</summary>
/// <param name="Step">The translation in pixels; <paramref name="Views"/> copies (3 × 3, twice that mirrored).</param>
public sealed record TestTimeShiftOutcome(int Step, bool Mirror, int Views, double ValidationLoss, double? ValidationAccuracy,
    double ShiftedValidationLoss, double? ShiftedValidationAccuracy, double Sigma, ExperimentVerdict Verdict, bool Kept, double Seconds);

/// <summary>
/// "Squeeze out the juice" at prediction time: a model trained on randomly shifted images (stage 4 kept the `shift`
/// augmentation) has learnt that small translations keep the label, so the mean of its answers over a grid of shifted
/// copies (<see cref="TestTimeShifts"/>) cancels part of the error any one copy makes — as an ensemble's members do,
/// for the price of more forward passes instead of more training. The shift is a third of the largest one training
/// made (at least a pixel: inside what the model saw, whatever the image size); training's flips add mirrored copies.
/// Kept only when <see cref="PairedValidation"/> confirms it on validation, so a model the copies confuse (a label that
/// depends on position) keeps answering alone. Runs after the ensemble and before the test evaluation: the test split
/// is still touched once, and the kept wrapper is what model.json describes and `recipe predict` applies.
/// </summary>
public sealed class TestTimeShiftStage : IRecipeStage
{
    public const string StageName = "test-time-shifts";

    /// <summary>
    /// Passes over a validation-sized split the kept model makes after this stage, as a multiple of one plain pass per
    /// view: judging it (its evaluation and per-example losses), the final validation and test evaluation, and the look
    /// at its mistakes. With --budget the stage is skipped when that many would not fit in the time left.
    /// </summary>
    const int PassesAfter = 8;

    public string Name => StageName;

    public StageOutcome Run(RunContext context)
    {
        if (context.Model is not { } model || context.Training is null) return StageOutcome.Continue;
        var pipeline = context.Pipeline;
        if (Views(pipeline) is not { } views)
        {
            string augment = pipeline.Knobs.Declares(DefaultKnobs.Augment) ? $"augment {pipeline.Knobs[DefaultKnobs.Augment]}" : "an augmentation of its own or none";
            context.SkipStage(Name, $"the final pipeline was not trained on Recipe's shifted images ({augment}): no shifted copy is known to keep the label");
            return StageOutcome.Continue;
        }
        var data = pipeline.Data;
        var clock = Stopwatch.StartNew();
        var plain = Evaluation.Run(model, data.Validation, data.Task, pipeline.Transform, pipeline.Loss, batchSize: 500);
        double predicted = clock.Elapsed.TotalSeconds * TestTimeShifts.ViewCount(views.Mirror) * PassesAfter;
        if (context.TimeLeft is { } left && left.TotalSeconds < predicted)
        {
            context.SkipStage(Name, $"{TestTimeShifts.ViewCount(views.Mirror)} shifted copies would take about {predicted:F0} s of evaluation, {Math.Max(0, left.TotalSeconds):F0} s are left of --budget");
            context.Phases.Lap(Name);
            return StageOutcome.Continue;
        }
        var (outcome, experiment, shifted) = Weigh(pipeline, model, plain, views, context.Experiments.NextNumber);
        context.Experiments.Add(experiment);
        context.TestTimeShifts = outcome;
        if (shifted is not null) context.Model = shifted;
        context.Report.TestTimeShifts(outcome);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }

    /// <summary>
    /// <paramref name="model"/> over the shifted copies against it alone on the validation split (<paramref name="plain"/>:
    /// its own evaluation there). Confirmed: returns the <see cref="TestTimeShifts"/> wrapper, which owns the model from
    /// then on; otherwise null, and the model stays the caller's.
    /// </summary>
    public static (TestTimeShiftOutcome Outcome, Experiment Experiment, TestTimeShifts? Model) Weigh(
        Pipeline pipeline, nn.Module<Tensor, Tensor> model, EvaluationResult plain, (int Step, bool Mirror) views, int experimentNumber)
    {
        var clock = Stopwatch.StartNew();
        var data = pipeline.Data;
        var shifted = new TestTimeShifts(model, ModelInputShape(pipeline), views.Step, views.Mirror, data.Task);
        var comparison = PairedValidation.Compare(pipeline, model, plain.Loss, shifted);
        bool kept = comparison.Confirmed;
        var outcome = new TestTimeShiftOutcome(views.Step, views.Mirror, shifted.Views.Count, plain.Loss, plain.Accuracy, comparison.Candidate.Loss,
            comparison.Candidate.Accuracy, comparison.Sigma, comparison.Verdict, kept, Math.Round(clock.Elapsed.TotalSeconds, 1));
        string augment = pipeline.Knobs.Declares(DefaultKnobs.Augment) ? pipeline.Knobs[DefaultKnobs.Augment] : "shift";
        var experiment = new Experiment
        {
            Number = experimentNumber,
            Stage = StageName,
            Kind = "test-time-augmentation",
            Change = $"the final model → the mean over {shifted.Views.Count} copies shifted by {views.Step} px{(views.Mirror ? " and mirrored" : "")}",
            Knobs = new Dictionary<string, string> { ["test_time_shift"] = views.Step.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Rationale = $"the model was trained on shifted images ({augment}): copies it was taught share a label, so their mean cancels part of each one's error",
            Prediction = comparison.Prediction,
            Pipeline = pipeline.Description,
            Baseline = plain.Loss,
            NoiseSigma = comparison.Sigma,
            Measurement = new TrialMeasurement(0, 0, double.NaN, comparison.Candidate.Loss, comparison.Candidate.Accuracy, outcome.Seconds, []),
            Verdict = comparison.Verdict,
            Kept = kept,
            Reason = comparison.Explanation + (kept ? " The final model answers with the shifted copies." : " The final model answers alone."),
        };
        // not kept: the wrapper is dropped, not disposed (disposing it would dispose the model, which stays)
        return (outcome, experiment, kept ? shifted : null);
    }

    /// <summary>
    /// The time the shifted copies of an ensemble of <paramref name="models"/> would take to judge and evaluate once this
    /// stage is reached (<paramref name="secondsPerModelPass"/>: one model's pass over the validation split), so that
    /// the ensemble's members leave it; zero for a pipeline this stage does not apply to.
    /// </summary>
    public static TimeSpan EvaluationReserve(Pipeline pipeline, int models, double secondsPerModelPass) =>
        Views(pipeline) is { } views ? TimeSpan.FromSeconds(TestTimeShifts.ViewCount(views.Mirror) * models * secondsPerModelPass * PassesAfter) : TimeSpan.Zero;

    /// <summary>The shift and mirroring for a pipeline trained with Recipe's shift augmentation; null for any other.</summary>
    public static (int Step, bool Mirror)? Views(Pipeline pipeline)
    {
        if (!pipeline.Knobs.Declares(DefaultKnobs.Augment)) return null;
        string augment = pipeline.Knobs[DefaultKnobs.Augment];
        if (augment is not (DefaultKnobs.AugmentShift or DefaultKnobs.AugmentShiftFlip) || pipeline.Data.ExampleShape.Length != 3) return null;
        bool mirror = augment == DefaultKnobs.AugmentShiftFlip;
        // training shifts the stored image; the copies are made of the model's input, which the `input` knob may have shrunk
        long side = Math.Min(pipeline.Data.ExampleShape[1], pipeline.Data.ExampleShape[2]);
        return ((int)Math.Max(1, ImageAugmentations.LargestShift(side) / (3 * Downsample(pipeline))), mirror);
    }

    /// <summary>One image as the model takes it: the stored (C, H, W), averaged over blocks when the `input` knob says so.</summary>
    public static long[] ModelInputShape(Pipeline pipeline) => InputDownsampling.ShapeOf(pipeline.Data.ExampleShape, Downsample(pipeline));

    static int Downsample(Pipeline pipeline) => DefaultKnobs.ImageDownsampleOf(pipeline.Knobs, pipeline.Data);
}
