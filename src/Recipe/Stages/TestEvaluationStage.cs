using Recipe.Checks;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Stages;

/// <summary>
/// The final model on the whole validation and test splits, once, at the end (regression: also in the target's own
/// units); judged against stage 2's baselines. A model that does not beat them is a wrong answer: exit 1.
/// </summary>
public sealed class TestEvaluationStage : IRecipeStage
{
    public string Name => "evaluation";

    public StageOutcome Run(RunContext context)
    {
        var (pipeline, model, story, metrics) = (context.Pipeline, context.Model!, context.Training!, context.Metrics);
        var validation = Evaluation.Run(model, pipeline.Data.Validation, context.Data.Task, pipeline.Transform, pipeline.Loss);
        var test = Evaluation.Run(model, pipeline.Data.Test, context.Data.Task, pipeline.Transform, pipeline.Loss);
        metrics["validation_loss"] = validation.Loss;
        metrics["test_loss"] = test.Loss;
        if (validation.Accuracy is { } validationAccuracy) metrics["validation_accuracy"] = validationAccuracy;
        if (test.Accuracy is { } testAccuracy) metrics["test_accuracy"] = testAccuracy;
        // what the run would have scored without the ensemble and the shifted copies: reported beside it, decides nothing
        // (each choice was made on validation)
        var unshifted = Models.AnsweringModel.Unshifted(model);
        if (unshifted != model) Record("without_test_time_shifts_", Evaluation.Run(unshifted, pipeline.Data.Test, context.Data.Task, pipeline.Transform, pipeline.Loss));
        if (unshifted is Models.Ensemble ensemble) Record("first_model_", Evaluation.Run(ensemble.Members[0], pipeline.Data.Test, context.Data.Task, pipeline.Transform, pipeline.Loss));
        void Record(string prefix, EvaluationResult result)
        {
            metrics[$"{prefix}test_loss"] = result.Loss;
            if (result.Accuracy is { } accuracy) metrics[$"{prefix}test_accuracy"] = accuracy;
        }
        RegressionMetrics[] regression = pipeline.TargetScale is { } scale
            ? [RegressionMetrics.Measure(model, pipeline.Data.Validation, pipeline.Transform, scale), RegressionMetrics.Measure(model, pipeline.Data.Test, pipeline.Transform, scale)]
            : [];
        foreach (var r in regression)
        {
            metrics[$"{r.Split}_rmse"] = r.Rmse;
            metrics[$"{r.Split}_mae"] = r.Mae;
            metrics[$"{r.Split}_r2"] = r.R2;
        }

        var training = story.Result;
        CheckResult? verdict = context.Checks is not { } checks ? null
            : TrainedModelBeatsBaselines.Judge(checks.Metrics, validation, training.Elapsed, new TrainingEnd(training.Steps, story.StopReason, story.EndedStillImproving));
        if (verdict is not null) context.Checks = context.Checks! with { Checks = [.. context.Checks.Checks, verdict] };
        context.Phases.Lap(Name);

        Models.AnsweringModel.First(model).save(context.Output.PathOf("model.bin")); // the first model, like model.pt
        ModelCardFor(context).Save(context.Output.Staging, model); // model.json, model.safetensors, model.pt: what `recipe predict` reads
        context.Report.Training(context.ModelName, pipeline.Training, story, validation, test, regression, verdict);
        if (verdict?.Verdict == Verdict.Fail) context.ExitCode = ExitCodes.BlockingFailure;
        return StageOutcome.Continue;
    }

    /// <summary>The card of the model the run settled on: its architecture, size and input-size knobs when the pipeline declares them.</summary>
    static Interop.ModelCard ModelCardFor(RunContext context)
    {
        var (knobs, options) = (context.Pipeline.Knobs, context.Options);
        if (!knobs.Declares(DefaultKnobs.Model))
            return Interop.ModelCard.For(context.Data, context.Normalizer, options.Model ?? Models.ModelFactory.DefaultFor(context.Data), context.Pipeline.TargetScale, options);
        var data = context.Pipeline.Data; // the data the pipeline screened a table's columns on
        return Interop.ModelCard.For(context.Data, context.Normalizer, knobs[DefaultKnobs.Model], context.Pipeline.TargetScale, options,
            knobs.Int(DefaultKnobs.Width), knobs.Int(DefaultKnobs.Depth), DefaultKnobs.ImageDownsampleOf(knobs, data), DefaultKnobs.DroppedColumnsOf(knobs, data));
    }
}
