using Recipe.Checks;
using Recipe.Training;

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
        if (model is Models.Ensemble ensemble)
        {
            // what the run would have scored without the ensemble: reported beside it, decides nothing (the choice was made on validation)
            var first = Evaluation.Run(ensemble.Members[0], pipeline.Data.Test, context.Data.Task, pipeline.Transform, pipeline.Loss);
            metrics["first_model_test_loss"] = first.Loss;
            if (first.Accuracy is { } firstAccuracy) metrics["first_model_test_accuracy"] = firstAccuracy;
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

        (model is Models.Ensemble kept ? kept.Members[0] : model).save(context.Output.PathOf("model.bin")); // the first model, like model.pt
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
        int downsample = knobs.Declares(DefaultKnobs.Input) ? DefaultKnobs.DownsampleFactor(knobs[DefaultKnobs.Input]) : 1;
        return Interop.ModelCard.For(context.Data, context.Normalizer, knobs[DefaultKnobs.Model], context.Pipeline.TargetScale, options,
            knobs.Int(DefaultKnobs.Width), knobs.Int(DefaultKnobs.Depth), downsample);
    }
}
