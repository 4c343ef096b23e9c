using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Fix the random seed: short runs with one seed (data, weights, data order, augmentation, dropout) must
/// agree exactly, or every later comparison between runs measures noise. Two runs inside one process share
/// whatever was drawn once per process (an unseeded subsample in the provider, a clock-seeded static
/// generator), so the second run is made in a fresh process that rebuilds the pipeline
/// (<see cref="CheckOptions.FreshProcess"/>); a pipeline that only exists in memory gets a second run here, and
/// the evidence says what that cannot see.
/// </summary>
public sealed class SeedReproducible : ICheck
{
    /// <summary>The same float32 operations in the same order give the same bits; more than round-off means uncontrolled randomness.</summary>
    public static readonly Condition SameLosses = Condition.AtMost("max |Δ loss| between two runs with one seed", 1e-6);
    public static readonly Condition SameWeights = Condition.AtMost("max |Δ weight| between two runs with one seed", 1e-6);
    /// <summary>Stored data that differs between processes is a subsample or split drawn without the seed.</summary>
    public static readonly Condition SameData = Condition.AtMost("stored data differs between two processes with one seed (1 = yes)", 0);

    public string Id => "seed-reproducible";
    public int Stage => 2;
    public string Hypothesis => "Short training runs with the same seed — in this process and in a fresh one — see the same data and give identical losses and weights.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [SameLosses, SameWeights, SameData];

    public CheckOutcome Run(CheckContext context)
    {
        int steps = context.Options.ReproducibilitySteps;
        var evidence = new Evidence();

        using var initialModel = context.NewModel();
        double initial;
        using (var again = context.NewModel())
            initial = MaxDifference(initialModel, again);

        var first = context.Train(new RunSpec($"{Id}: run 1", steps));
        using var firstModel = first.Model;
        var second = context.Train(new RunSpec($"{Id}: run 2", steps));
        using var secondModel = second.Model;
        double losses = LossDifference(first.Training.StepLosses, second.Training.StepLosses);
        double weights = MaxDifference(firstModel, secondModel);
        evidence.Number("seed", context.Seed).Number("steps", steps)
            .Number("max_initial_weight_difference", initial)
            .Number("max_loss_difference", losses)
            .Number("max_weight_difference", weights);
        var table = new List<IReadOnlyList<string>>();
        var (freshLosses, freshWeights, freshInitial, dataDiffers) = FreshProcessRun(context, steps, initialModel, firstModel, first.Training.StepLosses, evidence, table);

        evidence.Test(SameLosses, Math.Max(losses, freshLosses));
        evidence.Test(SameWeights, Math.Max(weights, freshWeights));
        if (dataDiffers is { } differs) evidence.Test(SameData, differs ? 1 : 0);
        evidence.Table("step losses of the runs", ["step", "run 1", "run 2 (this process)", .. table.Count > 0 ? new[] { "run 3 (fresh process)" } : []],
            first.Training.StepLosses.Zip(second.Training.StepLosses).Select((p, i) =>
                (IReadOnlyList<string>)[(i + 1).ToString(), p.First.ToString("R"), p.Second.ToString("R"), .. i < table.Count ? table[i] : []]));

        var source = dataDiffers == true
            ? "The stored data already differs between processes, so the pipeline subsamples, shuffles or splits with randomness the seed does not control"
            : Math.Max(initial, freshInitial) > SameWeights.Threshold
                ? "The initial weights already differ, so the model factory draws randomness the seed does not control"
                : "The data and initial weights agree, so the randomness enters during training (data order, augmentation, dropout or a custom layer)";
        return CheckOutcome.FromConditions(evidence,
            $"{steps}-step runs with seed {context.Seed}: max |Δ loss| = {Show.N(Math.Max(losses, freshLosses))}, max |Δ weight| = {Show.N(Math.Max(weights, freshWeights))} " +
            $"(initial weights differ by {Show.N(Math.Max(initial, freshInitial))})" +
            (dataDiffers is null ? "; no fresh process (see the notes)" : dataDiffers.Value ? "; the stored data differs between processes" : "; a fresh process agrees on the data"),
            $"{source}. Draw every random number from torch's generator after seeding it (Seeding.Apply) or from a generator seeded from the " +
            "request's seed, never from System.Random without a seed, Random.Shared or a generator seeded by the clock.");
    }

    /// <summary>
    /// The run in a fresh process, compared with run 1: (max |Δ loss|, max |Δ final weight|, max |Δ initial weight|, data differs);
    /// zeros and null when there is no fresh process (the reason goes into the notes).
    /// </summary>
    static (double Losses, double Weights, double Initial, bool? DataDiffers) FreshProcessRun(CheckContext context, int steps,
        nn.Module<Tensor, Tensor> initialModel, nn.Module<Tensor, Tensor> finalModel, IReadOnlyList<double> firstLosses, Evidence evidence,
        List<IReadOnlyList<string>> table)
    {
        if (context.Options.FreshProcess is not { } command)
        {
            evidence.Note("The pipeline was built in memory (a library call), so it cannot be rebuilt in another process: both runs were made in this " +
                          "process, and randomness drawn once per process (an unseeded subsample in the provider, a static generator) is not covered. " +
                          "`recipe check --pipeline` compares with a fresh process.");
            return (0, 0, 0, null);
        }
        using var outcome = SeedFingerprint.Measure(command, context.Seed, steps, context.Options.FreshProcessTimeout);
        if (outcome.Fingerprint is not { } fingerprint)
        {
            evidence.Note($"The fresh process ({command}) gave no fingerprint — {outcome.Failure}. Only the runs in this process were compared.");
            return (0, 0, 0, null);
        }
        bool dataDiffers = fingerprint.DataDigest != SeedFingerprint.Digest(context.Data);
        double losses = LossDifference(firstLosses, fingerprint.Losses);
        double initial = Loaded(context, outcome, final: false, initialModel);
        double weights = Loaded(context, outcome, final: true, finalModel);
        evidence.Number("fresh_process_data_differs", dataDiffers ? 1 : 0).Number("fresh_process_max_initial_weight_difference", initial)
            .Number("fresh_process_max_loss_difference", losses).Number("fresh_process_max_weight_difference", weights);
        evidence.Note($"Run 3 was made by a fresh process ({command}) that rebuilt the pipeline with seed {context.Seed}.");
        table.AddRange(fingerprint.Losses.Select(l => (IReadOnlyList<string>)[l.ToString("R")]));
        return (losses, weights, initial, dataDiffers);
    }

    /// <summary>Max |Δ| between <paramref name="reference"/> and the fresh process's weights loaded into a new model (∞ when they do not fit).</summary>
    static double Loaded(CheckContext context, SeedFingerprint.Outcome outcome, bool final, nn.Module<Tensor, Tensor> reference)
    {
        using var model = context.NewModel();
        try { outcome.LoadInto(model, final); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or ExternalException)
        {
            return double.PositiveInfinity;
        }
        return MaxDifference(reference, model);
    }

    static double LossDifference(IReadOnlyList<double> a, IReadOnlyList<double> b) => a.Count != b.Count
        ? double.PositiveInfinity
        : a.Zip(b, (x, y) => double.IsNaN(x) && double.IsNaN(y) ? 0 : Math.Abs(x - y)).Select(d => double.IsNaN(d) ? double.PositiveInfinity : d).DefaultIfEmpty(0).Max();

    /// <summary>Largest absolute difference between two models' parameters and buffers (∞ when their shapes differ).</summary>
    public static double MaxDifference(nn.Module<Tensor, Tensor> a, nn.Module<Tensor, Tensor> b)
    {
        using var scope = NewDisposeScope();
        var left = a.state_dict();
        var right = b.state_dict();
        double worst = 0;
        foreach (var (name, tensor) in left)
        {
            if (!right.TryGetValue(name, out var other) || !tensor.shape.SequenceEqual(other.shape)) return double.PositiveInfinity;
            if (tensor.numel() == 0) continue;
            var (x, y) = (tensor.to_type(float64), other.to_type(float64));
            var gap = (x - y).abs().masked_fill(x.isnan().logical_and(y.isnan()), 0); // NaN in both runs is reproducible
            var difference = gap.max().item<double>();
            if (double.IsNaN(difference)) return double.PositiveInfinity;
            worst = Math.Max(worst, difference);
        }
        return worst;
    }
}
