using Recipe.Data;
using Recipe.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// An autoregressive model must not see what it predicts. Two ways to get it wrong, both caught here:
/// the model looks ahead (its output at t changes when an input after t changes), or the data feeds
/// the target in as input (the target at t is the input at t, off by one).
/// </summary>
public sealed class CausalDependence : ICheck
{
    /// <summary>Positions probed at most (evenly spread over the sequence).</summary>
    const int MaxPositions = 64;

    public static readonly Condition NoLookAhead = Condition.AtMost("dependence of outputs on later inputs (relative to earlier inputs)", 1e-6);
    /// <summary>In text that is shifted right, a target equals the input at its own position only where a character repeats (a few %).</summary>
    public static readonly Condition TargetNotInInput = Condition.AtMost("share of targets equal to the input at the same position", 0.5, format: "P0");

    public string Id => "causal-dependence";
    public int Stage => 2;
    public string Hypothesis => "The output at position t depends only on inputs at positions ≤ t, and those inputs do not contain the target at t.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [NoLookAhead, TargetNotInInput];

    public CheckOutcome Run(CheckContext context)
    {
        var data = context.Data;
        if (data.Task != TaskKind.Sequence)
            return CheckOutcome.Skipped($"applies to autoregressive sequence models; this is a {data.Task.ToString().ToLowerInvariant()} task");
        using var probe = CheckContext.First(data.Validation, context.Options.DependencyExamples, "causal-probe");
        using var model = context.NewModel();
        model.eval();
        using var inputs = context.Pipeline.Transform(probe.Inputs);
        var (matrix, positions) = DependenceMatrix(model, inputs, data.Vocabulary?.Size, context.Seed);

        double ahead = 0, behind = 0;
        for (int s = 0; s < positions.Length; s++)
            for (int u = 0; u < positions.Length; u++)
                if (positions[u] > positions[s]) ahead = Math.Max(ahead, matrix[s, u]);
                else behind = Math.Max(behind, matrix[s, u]);
        double leak = ahead / Math.Max(behind, 1e-30);
        if (double.IsNaN(leak)) leak = double.PositiveInfinity;
        double sameAsInput = TargetsEqualToInputs(context.TrainProbe, context.Pipeline.Transform);

        var evidence = new Evidence().Number("positions_probed", positions.Length).Number("relative_dependence_on_later_inputs", leak)
            .Number("share_of_targets_equal_to_input", sameAsInput);
        evidence.Test(NoLookAhead, leak);
        evidence.Test(TargetNotInInput, sameAsInput);
        evidence.Picture(Charts.Heatmap("dependence of output at s (row) on input at u (column)", "input position u", "output position s", Show.RowScaled(matrix)),
            "Each row scaled to its largest entry: a causal model lights up on and left of the diagonal only (nothing right of it).");
        evidence.Table("the first sequences as the model sees them (␀ = boundary, · = ignored target)", ["input x", "target y"],
            Enumerable.Range(0, probe.Count).Select(r =>
                (IReadOnlyList<string>)[Show.Tokens(data.Vocabulary, Show.Row(inputs, r)), Show.Tokens(data.Vocabulary, Show.Row(probe.Targets, r))]));
        return CheckOutcome.FromConditions(evidence,
            $"outputs depend on later inputs {Show.N(leak)} as much as on earlier ones; {Show.P(sameAsInput)} of targets equal the input at their own position",
            "The model can see what it must predict. If outputs depend on later inputs, a layer looks ahead: pad convolutions on the left only, " +
            "mask attention to the past. If targets equal the inputs at the same position, the data is off by one: the input at t must be the " +
            "token before the target at t (x = [start, c1 … cn], y = [c1 … cn, end]).");
    }

    /// <summary>Entry (s, u): largest change of the output at position s when the input tokens at position u change.</summary>
    static (double[,] Matrix, int[] Positions) DependenceMatrix(nn.Module<Tensor, Tensor> model, Tensor inputs, long? vocabularySize, long seed)
    {
        int length = (int)inputs.shape[1];
        var positions = Enumerable.Range(0, Math.Min(length, MaxPositions)).Select(k => length <= MaxPositions ? k : k * length / MaxPositions).ToArray();
        var matrix = new double[positions.Length, positions.Length];
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        using var baseline = model.call(inputs); // (B, T, V)
        for (int u = 0; u < positions.Length; u++)
        {
            using var scope = NewDisposeScope();
            var changed = inputs.clone();
            var column = changed[TensorIndex.Colon, positions[u]];
            if (inputs.is_floating_point())
                changed[TensorIndex.Colon, positions[u]] = column + randn(column.shape, generator: generator);
            else
            {
                long vocabulary = Math.Max(2, vocabularySize ?? inputs.max().item<long>() + 1);
                changed[TensorIndex.Colon, positions[u]] = (column + randint(1, vocabulary, column.shape, generator: generator, dtype: int64)).remainder(vocabulary);
            }
            var delta = (model.call(changed) - baseline).abs();                        // (B, T, V)
            var perPosition = Show.Values(delta.amax([0, 2]));                          // (T)
            for (int s = 0; s < positions.Length; s++) matrix[s, u] = perPosition[positions[s]];
        }
        return (matrix, positions);
    }

    /// <summary>Share of valid targets y[t] that equal the model input x[t] at the same position.</summary>
    static double TargetsEqualToInputs(DataSplit split, Func<Tensor, Tensor> transform)
    {
        using var scope = NewDisposeScope();
        var x = transform(split.Inputs);
        var y = split.Targets;
        if (!x.shape.SequenceEqual(y.shape) || x.is_floating_point()) return 0;
        var valid = y.ne(Training.Losses.IgnoreIndex);
        double count = valid.sum().item<long>();
        return count == 0 ? 0 : x.eq(y).logical_and(valid).sum().item<long>() / count;
    }
}
