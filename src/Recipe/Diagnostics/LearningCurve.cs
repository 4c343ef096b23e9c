using System.Diagnostics;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Training;

namespace Recipe.Diagnostics;

/// <summary>What the learning curve measures and how much each point may cost.</summary>
public sealed record LearningCurveOptions
{
    /// <summary>Shares of the training split; the subsets are nested (each holds the smaller ones).</summary>
    public IReadOnlyList<double> Fractions { get; init; } = [0.1, 0.25, 0.5, 1.0];
    /// <summary>Trainings per size, with different seeds (weights, data order, which examples): the seed-to-seed spread.</summary>
    public int Seeds { get; init; } = 2;
    /// <summary>Cap on optimizer steps per training; each stops earlier when validation stops improving (best weights kept).</summary>
    public int MaxSteps { get; init; } = 2000;
    public long Seed { get; init; } = 0;
}

/// <summary>One training of the learning curve: its size, seed, and the whole validation split's error and loss.</summary>
/// <param name="Error">1 − accuracy for classes and tokens; the validation loss for regression.</param>
public sealed record LearningCurvePoint(int Size, long Seed, double Error, double Loss, int Steps);

/// <summary>The measured points, the power-law fit with its bootstrap band, and what doubling the data would buy.</summary>
public sealed record LearningCurveReport(string ErrorName, IReadOnlyList<LearningCurvePoint> Points, PowerLawEstimate? Estimate, int TrainCount, TimeSpan Elapsed)
{
    /// <summary>The fitted error at the full training split and at twice it (null without a fit).</summary>
    public (double Now, double Doubled, double DoubledLow, double DoubledHigh)? TwiceTheData => Estimate is not { } e ? null
        : (e.Fit.At(TrainCount), e.Fit.At(2.0 * TrainCount), e.ErrorQuantile(2.0 * TrainCount, 0.1), e.ErrorQuantile(2.0 * TrainCount, 0.9));
}

/// <summary>
/// The learning curve: train the pipeline on 10 / 25 / 50 / 100 % of the training split, measure the validation
/// error of each, fit error = a · n^(−b), and say what twice the data would buy — whether collecting data beats
/// tuning. Every training is a fresh model of the user's pipeline, stopped early on validation, so the cost is at
/// most sizes × seeds × <see cref="LearningCurveOptions.MaxSteps"/> steps. Opt-in (stage 4 calls it).
/// </summary>
public static class LearningCurve
{
    public static LearningCurveReport Measure(Pipeline pipeline, LearningCurveOptions? options = null)
    {
        options ??= new LearningCurveOptions();
        var clock = Stopwatch.StartNew();
        var data = pipeline.Data;
        var points = new List<LearningCurvePoint>();
        for (int s = 0; s < options.Seeds; s++)
        {
            long seed = options.Seed + 1009 * s;
            var order = Enumerable.Range(0, data.Train.Count).Select(i => (long)i).ToArray();
            new Random(unchecked((int)seed ^ 0x2545f491)).Shuffle(order);
            foreach (var fraction in options.Fractions.Order())
            {
                int size = Math.Max(1, (int)Math.Round(fraction * data.Train.Count));
                using var subset = data.Train.Subset("train", order[..size]);
                var (model, result) = ShortTraining.Run(pipeline, subset, new ShortTrainingSpec(options.MaxSteps, EarlyStopping: true), seed);
                using (model)
                {
                    var validation = Evaluation.Run(model, data.Validation, data.Task, pipeline.Transform, pipeline.Loss);
                    double error = validation.Accuracy is { } accuracy ? 1 - accuracy : validation.Loss;
                    points.Add(new LearningCurvePoint(size, seed, error, validation.Loss, result.Steps));
                }
            }
        }
        var estimate = PowerLawEstimate.Of(points.Select(p => ((double)p.Size, p.Error)).ToList(), seed: options.Seed);
        return new LearningCurveReport(data.Task == TaskKind.Regression ? "validation loss" : "validation error (1 − accuracy)", points, estimate, data.Train.Count, clock.Elapsed);
    }
}
