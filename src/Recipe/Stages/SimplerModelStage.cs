using System.Globalization;
using Recipe.Checks;

namespace Recipe.Stages;

/// <summary>
/// After the final training, on a table whose model Recipe chose itself: a linear model trained the same way is kept
/// unless the trained model is better on validation by more than the comparison's own noise
/// (<see cref="SimplerModelChoice"/>). The report and summary.json say which was kept and why.
/// </summary>
public sealed class SimplerModelStage : IRecipeStage
{
    public string Name => "model-choice";

    public StageOutcome Run(RunContext context)
    {
        var (options, pipeline) = (context.Options, context.Pipeline);
        if (context.Model is null || context.Training is null) return StageOutcome.Continue;
        string architecture = pipeline.Knobs.Declares(DefaultKnobs.Model) ? pipeline.Knobs[DefaultKnobs.Model] : options.Model ?? Models.ModelFactory.DefaultFor(context.Data);
        if (!pipeline.Knobs.Declares(DefaultKnobs.Model) || !SimplerModelChoice.Applies(options, context.Data, architecture)) return StageOutcome.Continue;

        var richer = new TrainedModel(context.ModelName, context.Model, pipeline.Training, context.Training);
        var outcome = SimplerModelChoice.Weigh(richer, pipeline, options, context.Data, context.Normalizer, context.Progress);
        context.ModelChoice = outcome;
        if (!outcome.Decision.KeepRicher)
        {
            // the linear model replaces the trained one: same data view, transform and loss, the linear model's knobs and training
            context.Model.Dispose();
            context.Model = outcome.Linear.Model;
            context.Training = outcome.Linear.Story;
            context.Pipeline = pipeline.WithKnobs(new Dictionary<string, string>
            {
                [DefaultKnobs.Model] = "linear", [DefaultKnobs.Width] = "0", [DefaultKnobs.Depth] = "1",
                [DefaultKnobs.LearningRate] = outcome.Linear.Config.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            }) with { Training = outcome.Linear.Config };
        }
        context.Report.ModelChoice(outcome.Explanation);
        context.Phases.Lap(Name);
        return StageOutcome.Continue;
    }
}
