using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Fix the random seed: two short runs with one seed (weights, data order, augmentation, dropout) must
/// agree exactly, or every later comparison between runs measures noise.
/// </summary>
public sealed class SeedReproducible : ICheck
{
    /// <summary>The same float32 operations in the same order give the same bits; more than round-off means uncontrolled randomness.</summary>
    public static readonly Condition SameLosses = Condition.AtMost("max |Δ loss| between two runs with one seed", 1e-6);
    public static readonly Condition SameWeights = Condition.AtMost("max |Δ weight| between two runs with one seed", 1e-6);

    public string Id => "seed-reproducible";
    public int Stage => 2;
    public string Hypothesis => "Two short training runs with the same seed give identical losses and identical weights.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [SameLosses, SameWeights];

    public CheckOutcome Run(CheckContext context)
    {
        int steps = context.Options.ReproducibilitySteps;
        var evidence = new Evidence();

        double initial;
        using (var a = context.NewModel())
        using (var b = context.NewModel())
            initial = MaxDifference(a, b);

        var first = context.Train(new RunSpec($"{Id}: run 1", steps));
        using var firstModel = first.Model;
        var second = context.Train(new RunSpec($"{Id}: run 2", steps));
        using var secondModel = second.Model;

        double losses = first.Training.StepLosses.Zip(second.Training.StepLosses, (x, y) => Math.Abs(x - y)).DefaultIfEmpty(0).Max();
        if (first.Training.StepLosses.Count != second.Training.StepLosses.Count) losses = double.PositiveInfinity;
        double weights = MaxDifference(firstModel, secondModel);
        evidence.Number("seed", context.Seed).Number("steps", steps)
            .Number("max_initial_weight_difference", initial)
            .Number("max_loss_difference", losses)
            .Number("max_weight_difference", weights);
        evidence.Test(SameLosses, losses);
        evidence.Test(SameWeights, weights);
        evidence.Table("step losses of the two runs", ["step", "run 1", "run 2"],
            first.Training.StepLosses.Zip(second.Training.StepLosses).Select((p, i) =>
                (IReadOnlyList<string>)[(i + 1).ToString(), p.First.ToString("R"), p.Second.ToString("R")]));

        var source = initial > SameWeights.Threshold
            ? "The initial weights already differ, so the model factory draws randomness the seed does not control"
            : "The initial weights agree, so the randomness enters during training (data order, augmentation, dropout or a custom layer)";
        return CheckOutcome.FromConditions(evidence,
            $"two {steps}-step runs with seed {context.Seed}: max |Δ loss| = {Show.N(losses)}, max |Δ weight| = {Show.N(weights)} " +
            $"(initial weights differ by {Show.N(initial)})",
            $"{source}. Draw every random number from torch's generator after seeding it (Seeding.Apply), never from " +
            "System.Random, Random.Shared or a generator seeded by the clock.");
    }

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
