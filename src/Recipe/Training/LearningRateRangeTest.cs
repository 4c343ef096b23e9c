using Recipe.Checks;
using Recipe.Data;
using Recipe.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>How the learning-rate range test sweeps: from where to where, in how many steps.</summary>
public sealed record LrRangeOptions
{
    public double MinRate { get; init; } = 1e-6;
    public double MaxRate { get; init; } = 1.0;
    /// <summary>Optimizer steps in the sweep; each multiplies the rate by the same factor.</summary>
    public int Steps { get; init; } = 100;
    /// <summary>Weight of the past in the exponential moving average of the loss (the raw batch loss is too noisy to read).</summary>
    public double Smoothing { get; init; } = 0.9;
    /// <summary>The sweep stops once the smoothed loss exceeds this multiple of the best seen: the rate has diverged.</summary>
    public double DivergenceFactor { get; init; } = 4.0;
    /// <summary>Null: the pipeline's own seed.</summary>
    public long? Seed { get; init; }
}

/// <summary>The loss against an exponentially growing learning rate, and the rate it suggests.</summary>
/// <param name="Rates">The learning rate of each step taken.</param>
/// <param name="Losses">The bias-corrected moving average of the training loss at each step.</param>
/// <param name="RawLosses">The batch loss of each step.</param>
/// <param name="SuggestedRate">A tenth of the rate at the lowest smoothed loss; null when no rate lowered the loss.</param>
/// <param name="LowestLossRate">The rate at the lowest smoothed loss.</param>
/// <param name="Diverged">Whether the sweep ended because the loss blew up (or became NaN).</param>
public sealed record LrRangeResult(double[] Rates, double[] Losses, double[] RawLosses, double? SuggestedRate, double LowestLossRate, bool Diverged, string Explanation)
{
    /// <summary>The curve as a PNG: smoothed loss against log10 of the rate, with the suggestion marked.</summary>
    public void Picture(string path)
    {
        var series = new List<(string, double[], double[])> { ("smoothed training loss", Rates.Select(Math.Log10).ToArray(), Losses) };
        if (SuggestedRate is { } suggested)
        {
            double low = Losses.Min(), high = Losses.Max();
            series.Add(($"suggested {suggested:G2}", [Math.Log10(suggested), Math.Log10(suggested)], [low, high]));
        }
        File.WriteAllBytes(path, Charts.Lines("learning-rate range test", "log10 learning rate", "training loss", series));
    }
}

/// <summary>
/// The learning-rate range test (Smith, "Cyclical Learning Rates", 2017): train a fresh model for a few steps while
/// the learning rate grows exponentially, and read off where the loss falls fastest and where it blows up. The loss
/// bottoms out shortly before the rate diverges, so a tenth of the rate at the lowest loss is a rate that still
/// learns fast with a margin from divergence. The model, loss, transform, augmentation and optimizer are the
/// pipeline's own; only the optimizer's learning rate is driven (any schedule is ignored).
/// </summary>
public static class LearningRateRangeTest
{
    public static LrRangeResult Run(Pipeline pipeline, LrRangeOptions? options = null)
    {
        options ??= new LrRangeOptions();
        if (!(options.MinRate > 0) || !(options.MaxRate > options.MinRate) || options.Steps < 2)
            throw new ArgumentException($"the range test needs 0 < min rate < max rate and at least 2 steps (got {options.MinRate}, {options.MaxRate}, {options.Steps})");
        long seed = options.Seed ?? pipeline.Training.Seed;
        Seeding.Apply(seed);
        using var model = pipeline.CreateModel();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        var optimizer = setup.Optimizer;
        model.train();

        double growth = Math.Pow(options.MaxRate / options.MinRate, 1.0 / (options.Steps - 1));
        var rates = new List<double>();
        var smoothed = new List<double>();
        var raw = new List<double>();
        double average = 0, best = double.PositiveInfinity;
        bool diverged = false;
        using var batches = Batches(pipeline.Data.Train, pipeline.Training.BatchSize, seed).GetEnumerator();
        for (int step = 0; step < options.Steps; step++)
        {
            double rate = options.MinRate * Math.Pow(growth, step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
            batches.MoveNext();
            using var storedBatch = batches.Current.Inputs; // made by the loader, outside the step's scope
            using var targetBatch = batches.Current.Targets;
            double loss;
            using (var scope = NewDisposeScope())
            {
                var (stored, targets) = (storedBatch, targetBatch);
                if (pipeline.Augment is { } augment) (stored, targets) = augment(stored, targets);
                var output = model.call(pipeline.Transform(stored));
                var value = pipeline.Loss(output, targets);
                optimizer.zero_grad();
                value.backward();
                optimizer.step();
                loss = value.item<float>();
            }
            rates.Add(rate);
            raw.Add(loss);
            if (!double.IsFinite(loss)) { diverged = true; break; }
            average = options.Smoothing * average + (1 - options.Smoothing) * loss;
            double corrected = average / (1 - Math.Pow(options.Smoothing, step + 1)); // early steps would read low without it
            smoothed.Add(corrected);
            best = Math.Min(best, corrected);
            if (corrected > options.DivergenceFactor * best) { diverged = true; break; }
        }
        if (smoothed.Count < rates.Count) rates.RemoveAt(rates.Count - 1); // the NaN step has no smoothed loss
        return Read([.. rates], [.. smoothed], [.. raw], diverged);
    }

    /// <summary>Reads the suggestion off a finished sweep: smoothed losses per rate.</summary>
    public static LrRangeResult Read(double[] rates, double[] losses, double[] raw, bool diverged)
    {
        if (losses.Length == 0)
            return new LrRangeResult(rates, losses, raw, null, double.NaN, diverged, "the loss was not finite at the first step; no rate can be suggested");
        int lowest = Array.IndexOf(losses, losses.Min());
        double start = losses[0], floor = losses[lowest];
        // a sweep whose loss never fell clearly below its start shows no rate that learns: suggest none
        bool learned = floor < start - 0.05 * Math.Abs(start) && lowest > 0;
        if (!learned)
            return new LrRangeResult(rates, losses, raw, null, rates[lowest], diverged,
                $"no rate between {rates[0]:G2} and {rates[^1]:G2} lowered the training loss clearly (from {start:G4} to at best {floor:G4}); keep the default");
        double suggested = rates[lowest] / 10;
        string end = diverged ? $"it diverged by {rates[^1]:G2}" : $"it had not diverged by {rates[^1]:G2}";
        return new LrRangeResult(rates, losses, raw, suggested, rates[lowest], diverged,
            $"the smoothed training loss fell from {start:G4} to {floor:G4} at rate {rates[lowest]:G2} and {end}; a tenth of the rate at the lowest loss keeps a margin from divergence: {suggested:G2}");
    }

    /// <summary>Shuffled training batches, epoch after epoch, as long as the sweep asks.</summary>
    static IEnumerable<(Tensor Inputs, Tensor Targets)> Batches(DataSplit train, int batchSize, long seed)
    {
        for (int epoch = 1; ; epoch++)
            foreach (var batch in new BatchLoader(train, Math.Min(batchSize, train.Count), shuffle: true, Seeding.DataOrderSeed(seed, epoch)).Batches())
                yield return batch;
    }
}
