using static TorchSharp.torch;

namespace Recipe.Checks;

/// <summary>
/// The zeroed-input run at the cost of two examples a batch. With every input zeroed, every row of a batch is the same,
/// so a model without per-example randomness gives every row the same output: the forward and backward over B identical
/// rows equal those over 2 rows whose output is broadcast back to the B targets (same mean loss, same gradient; batch
/// norm sees the same statistics, mean equal and variance zero). Two rows, not one: BatchNorm1d refuses a batch of one in
/// training mode. Whether that holds for a given model is measured (<see cref="WhyNotExact"/>), never assumed: dropout,
/// per-example noise or a batch-size-dependent op make the rows differ, and the run then takes the whole batch.
/// </summary>
public static class ZeroedInputRows
{
    /// <summary>Rows of identical inputs in the probe: enough that small dropout cannot leave all their masks equal by chance.</summary>
    public const int ProbeRows = 16;

    /// <summary>
    /// The zeroed model input for a stored batch, without transforming or allocating the batch: the pipeline's transform of
    /// its first row, zeroed, viewed B times (stride 0). <see cref="TwoRowModel"/> reads only its first row.
    /// </summary>
    public static Tensor Broadcast(Func<Tensor, Tensor> transform, Tensor stored)
    {
        using var first = stored.narrow(0, 0, 1);
        using var x = transform(first);
        using var zero = zeros_like(x);
        return zero.expand(Rows(stored.shape[0], x.shape));
    }

    /// <summary>
    /// Null when the model gives identical outputs to identical zeroed rows, in training and in eval mode, whatever the
    /// batch's size; else why not (the run then takes the whole batch). <paramref name="model"/> is a throwaway copy: the
    /// probe changes its batch-norm statistics and draws from torch's generator.
    /// </summary>
    public static string? WhyNotExact(nn.Module<Tensor, Tensor> model, Tensor zeroRow)
    {
        try
        {
            using var scope = NewDisposeScope();
            using (no_grad())
            {
                foreach (var training in new[] { true, false })
                {
                    model.train(training);
                    var many = model.call(zeroRow.expand(Rows(ProbeRows, zeroRow.shape)).contiguous());
                    var two = model.call(zeroRow.expand(Rows(2, zeroRow.shape)).contiguous());
                    string mode = training ? "training" : "eval";
                    if (many.dim() == 0 || many.shape[0] != ProbeRows || two.dim() == 0 || two.shape[0] != 2 || !many.shape.Skip(1).SequenceEqual(two.shape.Skip(1)))
                        return $"the model's output ({Show(many.shape)} for {ProbeRows} rows) is not one row per input row";
                    var reference = many.narrow(0, 0, 1).to_type(float64);
                    double scale = Math.Max(1, reference.abs().max().item<double>());
                    double spread = Math.Max((many.to_type(float64) - reference).abs().max().item<double>(), (two.to_type(float64) - reference).abs().max().item<double>());
                    if (!(spread <= Tolerance * scale))
                        return $"identical zeroed rows gave different outputs in {mode} mode (largest difference {spread:G3}): " +
                               "per-example randomness (dropout, noise) or an op that depends on the batch's size";
                }
            }
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"the probe on identical zeroed rows failed ({e.Message.Split('\n')[0]})";
        }
    }

    /// <summary>Relative difference between rows that counts as float round-off (kernels may sum a row in another order).</summary>
    public const double Tolerance = 1e-5;

    static long[] Rows(long count, long[] shape) => [count, .. shape.Skip(1)];

    static string Show(long[] shape) => $"({string.Join(", ", shape)})";

    /// <summary>
    /// Runs the wrapped model on two copies of its input's first row and broadcasts the first output row to every input
    /// row. Exact only for identical rows without per-example randomness, which <see cref="WhyNotExact"/> measures.
    /// </summary>
    public sealed class TwoRowModel : nn.Module<Tensor, Tensor>
    {
        readonly nn.Module<Tensor, Tensor> model;

        public TwoRowModel(nn.Module<Tensor, Tensor> inner) : base(nameof(TwoRowModel))
        {
            model = inner;
            RegisterComponents();
        }

        public nn.Module<Tensor, Tensor> Inner => model;

        public override Tensor forward(Tensor x)
        {
            using var first = x.narrow(0, 0, 1);
            using var twoRows = first.expand(Rows(2, x.shape)).contiguous();
            using var output = model.call(twoRows);
            using var row = output.narrow(0, 0, 1);
            // contiguous: a user's loss may view() the output, which a stride-0 tensor refuses
            return row.expand(Rows(x.shape[0], output.shape)).contiguous();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) model.Dispose();
            base.Dispose(disposing);
        }
    }
}
