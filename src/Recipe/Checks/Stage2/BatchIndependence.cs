using Recipe.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Use backprop to chart dependencies: with the loss set to a random projection of example i's outputs,
/// the gradient must reach input i and no other. A projection, not the plain sum: the sum of a softmax's
/// outputs is 1 whatever the input, so its gradient is zero everywhere and a mixing bug would hide behind it. A view where a transpose/permute was meant mixes examples across the
/// batch, and the net still trains (it learns to ignore the others), so only this test catches it. Token
/// inputs have no gradient; for them, changing the other examples' tokens must not move example i's output.
/// </summary>
public sealed class BatchIndependence : ICheck
{
    /// <summary>Independent examples give exactly zero; float round-off is far below this.</summary>
    public static readonly Condition NoMixing = Condition.AtMost("dependence of an example's output on other examples (relative to its own input)", 1e-6);
    public static readonly Condition UsesOwnInput = Condition.AtMost("examples whose output does not depend on their own input", 0, Verdict.Warn);

    public string Id => "batch-independence";
    public int Stage => 2;
    public string Hypothesis => "The output for example i depends on input i only: the gradient of (a random projection of) its outputs reaches no other example of the batch.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [NoMixing, UsesOwnInput];

    public CheckOutcome Run(CheckContext context)
    {
        using var probe = CheckContext.First(context.Data.Validation, context.Options.DependencyExamples, "batch-probe");
        if (probe.Count < 2) return CheckOutcome.Skipped("needs at least two validation examples");
        using var model = context.NewModel();
        model.eval(); // batch norm in training mode mixes the batch on purpose; evaluation must not
        using var inputs = context.Pipeline.Transform(probe.Inputs);
        bool gradients = inputs.is_floating_point();
        var matrix = gradients ? ByGradient(model, inputs, context.Seed) : ByPerturbation(model, inputs, context.Data.Vocabulary?.Size, context.Seed);

        int n = probe.Count;
        double worstLeak = 0;
        int blind = 0;
        for (int i = 0; i < n; i++)
        {
            double own = matrix[i, i];
            double others = Enumerable.Range(0, n).Where(j => j != i).Max(j => matrix[i, j]);
            if (!(own > 0)) blind++;
            worstLeak = Math.Max(worstLeak, others / Math.Max(own, 1e-30));
        }
        if (double.IsNaN(worstLeak)) worstLeak = double.PositiveInfinity;
        var evidence = new Evidence().Number("examples", n).Number("relative_dependence_on_other_examples", worstLeak)
            .Number("examples_blind_to_their_input", blind);
        evidence.Note(gradients
            ? "Method: for each i, backward from a fixed random projection of output[i] (seeded; not the sum, which a softmax makes constant) to the float input tensor; entry (i, j) is the summed |gradient| on input j."
            : "Method: token inputs; entry (i, j) is the largest change of output i when example j's tokens are replaced by other tokens.");
        evidence.Test(NoMixing, worstLeak);
        evidence.Test(UsesOwnInput, blind);
        evidence.Picture(Charts.Heatmap("dependence of output i (row) on input j (column)", "input example j", "output example i", Show.RowScaled(matrix)),
            "Each row scaled to its largest entry: a correct model lights up the diagonal only.");
        evidence.Table("dependence matrix (output i, input j)", ["output \\ input", .. Enumerable.Range(0, n).Select(j => j.ToString())],
            Enumerable.Range(0, n).Select(i => (IReadOnlyList<string>)[i.ToString(), .. Enumerable.Range(0, n).Select(j => Show.N(matrix[i, j]))]));
        return CheckOutcome.FromConditions(evidence,
            $"over {n} examples, an output depends on other examples' inputs {Show.N(worstLeak)} as much as on its own" +
            (blind > 0 ? $"; {blind} outputs do not depend on their own input" : ""),
            "The model mixes information across the batch: look for a view/reshape where a transpose/permute was meant (e.g. (B, T, C) " +
            "viewed as (T, B, C)), a reduction over dim 0, or a normalization over the batch at evaluation. Compare shapes and memory order " +
            "at each reshape.");
    }

    /// <summary>Entry (i, j): summed |∂ (r · output_i) / ∂ input_j| for one random direction r shared by all i.</summary>
    static double[,] ByGradient(nn.Module<Tensor, Tensor> model, Tensor inputs, long seed)
    {
        long n = inputs.shape[0];
        var matrix = new double[n, n];
        using var generator = new Generator((ulong)seed);
        Tensor? direction = null;
        try
        {
            for (long i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                var x = inputs.detach().clone().requires_grad_(true);
                var output = model.call(x)[i];
                direction ??= randn(output.shape, dtype: output.dtype, generator: generator).MoveToOuterDisposeScope();
                output.mul(direction).sum().backward();
                var perExample = Show.Values(x.grad!.abs().flatten(1).sum(1));
                for (long j = 0; j < n; j++) matrix[i, j] = perExample[j];
            }
        }
        finally
        {
            direction?.Dispose();
        }
        return matrix;
    }

    /// <summary>Entry (i, j): largest |Δ output_i| when example j's tokens are shifted to other tokens.</summary>
    static double[,] ByPerturbation(nn.Module<Tensor, Tensor> model, Tensor inputs, long? vocabularySize, long seed)
    {
        long n = inputs.shape[0];
        var matrix = new double[n, n];
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        using var baseline = model.call(inputs);
        long vocabulary = Math.Max(2, vocabularySize ?? inputs.max().item<long>() + 1);
        for (long j = 0; j < n; j++)
        {
            using var scope = NewDisposeScope();
            var changed = inputs.clone();
            var shift = randint(1, vocabulary, changed[j].shape, generator: generator, dtype: int64);
            changed[j] = (changed[j] + shift).remainder(vocabulary);
            var delta = (model.call(changed) - baseline).abs().flatten(1).max(1).values;
            var perOutput = Show.Values(delta);
            for (long i = 0; i < n; i++) matrix[i, j] = perOutput[i];
        }
        return matrix;
    }
}
