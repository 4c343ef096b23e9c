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

    /// <summary>
    /// Trainings on the whole training split measured already, with the same pipeline, step cap and early stopping
    /// (stage 4's baseline trials): they are the full-size points, so the costliest trainings are not run twice.
    /// </summary>
    public IReadOnlyList<LearningCurvePoint> FullSizePoints { get; init; } = [];

    /// <summary>
    /// What the whole curve may take (null: no limit). The sizes run smallest first and a training starts only when
    /// its predicted cost fits in what is left, so a cut curve keeps its cheapest points and says what it left out.
    /// </summary>
    public TimeSpan? TimeAllowed { get; init; }

    /// <summary>A training's predicted cost before any was timed here (stage 4: its slowest baseline trial); then the slowest timed one.</summary>
    public double PredictedTrainingSeconds { get; init; }
}

/// <summary>One training of the learning curve: its size, seed, and the whole validation split's error and loss.</summary>
/// <param name="Error">1 − accuracy for classes and tokens; the validation loss for regression.</param>
public sealed record LearningCurvePoint(int Size, long Seed, double Error, double Loss, int Steps);

/// <summary>The measured points, the power-law fit with its bootstrap band, and what doubling the data would buy.</summary>
public sealed record LearningCurveReport(string ErrorName, IReadOnlyList<LearningCurvePoint> Points, PowerLawEstimate? Estimate, int TrainCount, TimeSpan Elapsed)
{
    /// <summary>Why some planned trainings were not run (the time allowed ran out), or null when every one was.</summary>
    public string? Cut { get; init; }

    /// <summary>How many of the points were trainings measured elsewhere (<see cref="LearningCurveOptions.FullSizePoints"/>).</summary>
    public int Reused { get; init; }

    /// <summary>The fitted error at the full training split and at twice it (null without a fit).</summary>
    public (double Now, double Doubled, double DoubledLow, double DoubledHigh)? TwiceTheData => Estimate is not { } e ? null
        : (e.Fit.At(TrainCount), e.Fit.At(2.0 * TrainCount), e.ErrorQuantile(2.0 * TrainCount, 0.1), e.ErrorQuantile(2.0 * TrainCount, 0.9));
}

/// <summary>
/// The learning curve: train the pipeline on 10 / 25 / 50 / 100 % of the training split, measure the validation
/// error of each, fit error = a · n^(−b), and say what twice the data would buy — whether collecting data beats
/// tuning. Every training is a fresh model of the user's pipeline, stopped early on validation, so the cost is at
/// most sizes × seeds × <see cref="LearningCurveOptions.MaxSteps"/> steps, less the full-size trainings measured
/// already; <see cref="LearningCurveOptions.TimeAllowed"/> cuts it short. Opt-in (stage 4 calls it).
/// </summary>
public static class LearningCurve
{
    public static LearningCurveReport Measure(Pipeline pipeline, LearningCurveOptions? options = null, Action<string>? onTraining = null)
    {
        options ??= new LearningCurveOptions();
        var clock = Stopwatch.StartNew();
        var data = pipeline.Data;
        var seeds = Enumerable.Range(0, options.Seeds).Select(s => options.Seed + 1009 * s).ToList();
        var orders = seeds.ToDictionary(seed => seed, seed => ShuffledIndices(data.Train.Count, seed));
        var points = new List<LearningCurvePoint>();
        double slowest = options.PredictedTrainingSeconds;
        string? cut = null;
        // size by size, smallest first, every seed of a size before the next: a curve cut for time keeps whole sizes
        foreach (var fraction in options.Fractions.Order())
        {
            int size = Math.Max(1, (int)Math.Round(fraction * data.Train.Count));
            if (size == data.Train.Count && options.FullSizePoints.Count > 0)
            {
                points.AddRange(options.FullSizePoints);
                continue;
            }
            foreach (var seed in seeds)
            {
                if (cut is null && options.TimeAllowed is { } allowed && clock.Elapsed.TotalSeconds + slowest > allowed.TotalSeconds)
                    cut = $"the trainings from {size} examples (seed {seed}) on were not run: one is predicted at {slowest:F0} s, " +
                          $"{Math.Max(0, allowed.TotalSeconds - clock.Elapsed.TotalSeconds):F0} s of the curve's {allowed.TotalSeconds:F0} s left";
                if (cut is not null) break;
                onTraining?.Invoke($"{size} examples, seed {seed}");
                var started = clock.Elapsed;
                points.Add(Point(pipeline, size, seed, orders[seed], options.MaxSteps));
                slowest = Math.Max(slowest, (clock.Elapsed - started).TotalSeconds);
            }
        }
        var estimate = PowerLawEstimate.Of(points.Select(p => ((double)p.Size, p.Error)).ToList(), seed: options.Seed);
        return new LearningCurveReport(data.Task == TaskKind.Regression ? "validation loss" : "validation error (1 − accuracy)", points, estimate, data.Train.Count, clock.Elapsed)
        {
            Cut = cut, Reused = points.Count(p => options.FullSizePoints.Contains(p)),
        };
    }

    /// <summary>The error of the learning curve's measure: 1 − accuracy where there is one, else the loss (regression).</summary>
    public static double ErrorOf(double loss, double? accuracy) => accuracy is { } a ? 1 - a : loss;

    /// <summary>One training on the first <paramref name="size"/> examples of a seed's order (the subsets of a seed are nested).</summary>
    static LearningCurvePoint Point(Pipeline pipeline, int size, long seed, long[] order, int maxSteps)
    {
        var data = pipeline.Data;
        using var subset = data.Train.Subset("train", order[..size]);
        var (model, result) = ShortTraining.Run(pipeline, subset, new ShortTrainingSpec(maxSteps, EarlyStopping: true), seed);
        using (model)
        {
            var validation = Evaluation.Run(model, data.Validation, data.Task, pipeline.Transform, pipeline.Loss);
            return new LearningCurvePoint(size, seed, ErrorOf(validation.Loss, validation.Accuracy), validation.Loss, result.Steps);
        }
    }

    static long[] ShuffledIndices(int count, long seed)
    {
        var order = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        new Random(unchecked((int)seed ^ 0x2545f491)).Shuffle(order);
        return order;
    }
}
