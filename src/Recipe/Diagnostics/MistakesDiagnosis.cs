using System.Diagnostics;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Reporting;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Diagnostics;

/// <summary>Everything <see cref="MistakesDiagnosis"/> found about a trained model, as data and pictures.</summary>
public sealed record MistakesReport
{
    /// <summary>The split the model was judged on (validation: the test split stays untouched until the end).</summary>
    public required string Split { get; init; }
    public required TaskKind Task { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required SplitPredictions Predictions { get; init; }
    public ConfusionMatrix? Confusion { get; init; }
    public required IReadOnlyList<Mistake> HighestLoss { get; init; }
    public required MistakeGallery HighestLossGallery { get; init; }
    public RegressionResiduals? Residuals { get; init; }
    public IReadOnlyList<string> Samples { get; init; } = [];
    public IReadOnlyList<TokenMistake> TokenMistakes { get; init; } = [];
    public required IReadOnlyList<LayerActivations> Activations { get; init; }
    /// <summary>The first convolution's filters as a PNG grid; null without a 2-D convolution.</summary>
    public byte[]? Filters { get; init; }
    public int FilterCount { get; init; }
    /// <summary>Cosine of each first-layer filter with itself shifted by a pixel (≈0 for noise, high for edges and blobs); see <see cref="FirstLayerFilters.Smoothness"/>.</summary>
    public double? FilterSmoothness { get; init; }
    /// <summary>The final model's training run, for the train-and-validation curve (null when not given).</summary>
    public TrainingResult? Training { get; init; }
    public LabelErrorReport? LabelErrors { get; init; }
    public MistakeGallery? SuspectGallery { get; init; }
    public LearningCurveReport? LearningCurve { get; init; }
    /// <summary>Wall seconds per part, in the order they ran.</summary>
    public required IReadOnlyDictionary<string, double> Seconds { get; init; }
}

/// <summary>
/// Stage 4's look at the mistakes of a trained model, on the validation split: confusion matrix and the
/// highest-loss examples (classes), predicted against true and the largest residuals (regression), samples and the
/// most surprising tokens (sequences); the first layer's filters, activations and dead units; optionally suspected
/// label errors and the learning curve (they train extra models). Works with any <see cref="Pipeline"/>.
/// </summary>
public static class MistakesDiagnosis
{
    public static MistakesReport Run(nn.Module<Tensor, Tensor> model, Pipeline pipeline, MistakesOptions? options = null, TrainingResult? training = null)
    {
        options ??= new MistakesOptions();
        var data = pipeline.Data;
        var split = data.Validation;
        var seconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        void Lap(string part) { seconds[part] = Math.Round(clock.Elapsed.TotalSeconds, 2); clock.Restart(); }

        var predictions = SplitPredictions.Measure(model, split, data.Task, pipeline.Transform);
        var highest = MistakeRanking.HighestLoss(predictions, options.GalleryCount);
        var gallery = MistakeGallery.Of(data, split, highest.Select(m => (m.Index, Caption(data, m))).ToList());
        ConfusionMatrix? confusion = data.Task == TaskKind.Classification ? new ConfusionMatrix(data.ClassNames, predictions.Labels!, predictions.Predicted()) : null;
        var residuals = data.Task == TaskKind.Regression ? RegressionResiduals.Of(predictions, pipeline.TargetScale, options.GalleryCount) : null;
        Lap("validation_predictions");

        IReadOnlyList<string> samples = [];
        IReadOnlyList<TokenMistake> tokens = [];
        if (data.Task == TaskKind.Sequence && data.Vocabulary is { } vocabulary)
        {
            samples = SequenceMistakes.Sample(model, pipeline.Transform, vocabulary, (int)data.ExampleShape[0], options.Samples, options.Seed);
            tokens = SequenceMistakes.HighestLossTokens(model, split, pipeline.Transform, vocabulary, options.GalleryCount);
            Lap("sequence_samples");
        }

        // the layers and filters of one trained model: an ensemble's members share its architecture, and shifted copies
        // would only repeat each layer's calls
        var firstModel = Models.AnsweringModel.First(model);
        IReadOnlyList<LayerActivations> activations;
        using (var probe = split.Inputs.narrow(0, 0, Math.Min(options.ProbeExamples, split.Count)))
        using (var input = pipeline.Transform(probe))
            activations = ActivationStatistics.Measure(firstModel, input);
        byte[]? filters = null;
        int filterCount = 0;
        using (var filterImages = FirstLayerFilters.Images(firstModel))
            if (filterImages is not null)
            {
                filterCount = (int)filterImages.shape[0];
                filters = ImageGrid.Render(filterImages, columns: Math.Min(16, filterCount), scale: Math.Max(4, 48 / (int)filterImages.shape[3]));
            }
        double? smoothness = FirstLayerFilters.Smoothness(firstModel);
        Lap("layers");

        LabelErrorReport? labelErrors = null;
        MistakeGallery? suspects = null;
        if (options.LabelErrors is { } labelOptions && data.Task == TaskKind.Classification)
        {
            // a fold need not train longer than the final model did: the run's own length bounds each fold's
            if (labelOptions.StepsPerFold is null && training is { Steps: > 0 }) labelOptions = labelOptions with { StepsPerFold = training.Steps };
            labelErrors = LabelErrorSearch.Run(pipeline, labelOptions with { Seed = options.Seed });
            suspects = MistakeGallery.Of(data, data.Train, labelErrors.Suspects.Take(options.GalleryCount)
                .Select(s => (s.Index, $"{Short(data.ClassNames[(int)s.Given])}→{Short(data.ClassNames[(int)s.Suspected])}")).ToList());
            Lap("label_errors");
        }
        LearningCurveReport? curve = null;
        if (options.LearningCurve is { } curveOptions)
        {
            curve = LearningCurve.Measure(pipeline, curveOptions with { Seed = options.Seed });
            Lap("learning_curve");
        }

        return new MistakesReport
        {
            Split = split.Name, Task = data.Task, ClassNames = data.ClassNames, Predictions = predictions, Confusion = confusion,
            HighestLoss = highest, HighestLossGallery = gallery, Residuals = residuals, Samples = samples, TokenMistakes = tokens,
            Activations = activations, Filters = filters, FilterCount = filterCount, FilterSmoothness = smoothness, Training = training,
            LabelErrors = labelErrors, SuspectGallery = suspects, LearningCurve = curve, Seconds = seconds,
        };
    }

    /// <summary>"given→predicted" for classes (short, to fit under a thumbnail), the loss otherwise.</summary>
    static string Caption(Dataset data, Mistake mistake) => mistake.Given is { } given && mistake.Predicted is { } predicted
        ? $"{Short(data.ClassNames[(int)given])}→{Short(data.ClassNames[(int)predicted])}"
        : $"loss {mistake.Loss:G3}";

    static string Short(string name) => name.Length <= 7 ? name : name[..6] + "…";
}
