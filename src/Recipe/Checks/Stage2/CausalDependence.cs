using Recipe.Data;
using Recipe.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// An autoregressive model must not see what it predicts. Two ways to get it wrong, both caught here:
/// the pipeline looks ahead (its output at t changes when a stored input after t changes — in the model,
/// or in a transform that builds windows around t), or the data feeds the target in as input (the target
/// at t is the stored input at t, off by one). The probe perturbs the *stored* tokens, before the
/// pipeline's transform, so whatever the transform builds from them (windows, one-hot codes, features)
/// is traced back to the stored positions it came from.
/// </summary>
public sealed class CausalDependence : ICheck
{
    /// <summary>Positions probed at most (evenly spread over the sequence).</summary>
    const int MaxPositions = 64;

    /// <summary>A causal pipeline gives exactly zero: a perturbed later token cannot reach an earlier output, not even by round-off.</summary>
    public static readonly Condition NoLookAhead = Condition.AtMost("dependence of outputs on later stored inputs (relative to earlier ones)", 1e-6);
    /// <summary>
    /// Targets that equal the stored input at their own position more often than two controls from the same data explain, in
    /// binomial standard errors: the intended alignment (the input one position later, which teacher forcing makes equal to
    /// the target) and chance (the input at the same position of another example). Repetitive text ("aaaa", runs in DNA)
    /// raises the same-position rate and both controls alike; an input that holds its own target raises it alone.
    /// </summary>
    public static readonly Condition TargetNotInInput =
        Condition.AtMost("excess of same-position target = input matches over the controls (next position, another example), in standard errors", 3);

    public string Id => "causal-dependence";
    public int Stage => 2;
    public string Hypothesis => "The output at position t depends only on stored inputs at positions ≤ t (through the transform and the model), and those inputs do not contain the target at t.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [NoLookAhead, TargetNotInInput];

    public CheckOutcome Run(CheckContext context)
    {
        var data = context.Data;
        if (data.Task != TaskKind.Sequence)
            return CheckOutcome.Skipped($"applies to autoregressive sequence models; this is a {data.Task.ToString().ToLowerInvariant()} task");
        using var probe = CheckContext.First(data.Validation, context.Options.DependencyExamples, "causal-probe");
        if (probe.Inputs.dim() < 2)
            return CheckOutcome.Skipped($"the stored inputs have shape ({string.Join(", ", probe.Inputs.shape)}): no position axis to perturb");
        using var model = context.NewModel();
        model.eval();
        var traced = DependenceMatrix(model, context.Pipeline.Transform, probe.Inputs, data.Vocabulary?.Size, context.Seed);
        if (traced is null)
            return CheckOutcome.Skipped("the model's output cannot be laid out as (examples, stored positions, …), so outputs cannot be matched to positions");
        var (matrix, positions) = traced.Value;

        double ahead = 0, behind = 0;
        for (int s = 0; s < positions.Length; s++)
            for (int u = 0; u < positions.Length; u++)
                if (positions[u] > positions[s]) ahead = Math.Max(ahead, matrix[s, u]);
                else behind = Math.Max(behind, matrix[s, u]);
        double leak = ahead / Math.Max(behind, 1e-30);
        if (double.IsNaN(leak)) leak = double.PositiveInfinity;
        var alignment = TargetAlignment.Measure(context.TrainProbe, context.Seed);

        var evidence = new Evidence().Number("positions_probed", positions.Length).Number("relative_dependence_on_later_inputs", leak)
            .Number("share_of_targets_equal_to_input", alignment.SamePosition)
            .Number("share_of_targets_equal_to_next_input", alignment.NextPosition)
            .Number("share_of_targets_equal_to_another_examples_input", alignment.Chance)
            .Number("same_position_excess_in_standard_errors", alignment.ExcessInStandardErrors);
        evidence.Note("Method: the stored tokens at one position are replaced by other tokens, then the pipeline's transform and the model run; " +
                      "entry (s, u) is the largest change of the output at s. Leaks built by the transform (a window around t) show up as well as the model's.");
        evidence.Test(NoLookAhead, leak);
        evidence.Test(TargetNotInInput, alignment.ExcessInStandardErrors);
        evidence.Picture(Charts.Heatmap("dependence of output at s (row) on stored input at u (column)", "stored input position u", "output position s", Show.RowScaled(matrix)),
            "Each row scaled to its largest entry: a causal pipeline lights up on and left of the diagonal only (nothing right of it).");
        if (!probe.Inputs.is_floating_point())
            evidence.Table("the first sequences as stored (␀ = boundary, · = ignored target)", ["stored input x", "target y"],
                Enumerable.Range(0, probe.Count).Select(r =>
                    (IReadOnlyList<string>)[Show.Tokens(data.Vocabulary, Show.Row(probe.Inputs, r)), Show.Tokens(data.Vocabulary, Show.Row(probe.Targets, r))]));
        return CheckOutcome.FromConditions(evidence,
            $"outputs depend on later stored inputs {Show.N(leak)} as much as on earlier ones; {Show.P(alignment.SamePosition)} of targets equal the stored input " +
            $"at their own position (controls: {Show.P(alignment.NextPosition)} the next position's, {Show.P(alignment.Chance)} another example's)",
            "The pipeline can see what it must predict. If outputs depend on later inputs, the model or the transform looks ahead: pad convolutions " +
            "and windows on the left only, mask attention to the past. If targets equal the inputs at the same position, the data is off by one: " +
            "the input at t must be the token before the target at t (x = [start, c1 … cn], y = [c1 … cn, end]).");
    }

    /// <summary>
    /// Entry (s, u): largest change of the output at stored position s when the stored tokens at position u change;
    /// null when the output cannot be laid out as (examples, positions, …).
    /// </summary>
    static (double[,] Matrix, int[] Positions)? DependenceMatrix(nn.Module<Tensor, Tensor> model, Func<Tensor, Tensor> transform, Tensor stored,
        long? vocabularySize, long seed)
    {
        long examples = stored.shape[0];
        int length = (int)stored.shape[1];
        var positions = Enumerable.Range(0, Math.Min(length, MaxPositions)).Select(k => length <= MaxPositions ? k : k * length / MaxPositions).ToArray();
        var matrix = new double[positions.Length, positions.Length];
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        using var baseline = Outputs(model, transform, stored);
        // (B, T, …) or the positions flattened into the batch, (B·T, …): anything else has no per-position outputs to compare.
        bool laidOut = baseline.dim() >= 2 && baseline.shape[0] == examples && baseline.shape[1] == length
                           || baseline.dim() >= 1 && baseline.shape[0] == examples * length;
        if (!laidOut) return null;
        long vocabulary = Math.Max(2, vocabularySize ?? (stored.is_floating_point() ? 2 : stored.max().item<long>() + 1));
        for (int u = 0; u < positions.Length; u++)
        {
            using var scope = NewDisposeScope();
            var changed = stored.clone();
            var column = changed[TensorIndex.Colon, positions[u]];
            changed[TensorIndex.Colon, positions[u]] = stored.is_floating_point()
                ? column + randn(column.shape, generator: generator).to_type(column.dtype)
                : (column + randint(1, vocabulary, column.shape, generator: generator, dtype: column.dtype)).remainder(vocabulary);
            using var output = Outputs(model, transform, changed);
            if (!output.shape.SequenceEqual(baseline.shape)) return null;
            var delta = (output - baseline).abs().reshape(examples, length, -1);    // (B, T, …) in stored positions
            var perPosition = Show.Values(delta.amax([0, 2]));                          // (T)
            for (int s = 0; s < positions.Length; s++) matrix[s, u] = perPosition[positions[s]];
        }
        return (matrix, positions);
    }

    static Tensor Outputs(nn.Module<Tensor, Tensor> model, Func<Tensor, Tensor> transform, Tensor stored)
    {
        using var scope = NewDisposeScope();
        return model.call(transform(stored)).to_type(float64).MoveToOuterDisposeScope();
    }
}
