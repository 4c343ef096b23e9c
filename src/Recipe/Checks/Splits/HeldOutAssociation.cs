using Recipe.Data;

namespace Recipe.Checks.Splits;

/// <summary>One feature's association with the target on train and on a held-out split, against chance.</summary>
/// <param name="TrainShare">Share of the target's variation the feature explains on the training rows (binned η²).</param>
/// <param name="HeldOutShare">The same on the held-out split's rows.</param>
/// <param name="Ceiling">The largest gap (held-out − train) chance gives any feature: the shuffled-splits control.</param>
public sealed record AssociationGap(string HeldOut, int Feature, double TrainShare, double HeldOutShare, double NullMean, double NullDeviation, double Ceiling)
{
    public double Gap => HeldOutShare - TrainShare;

    /// <summary>Gap ÷ the most chance explains: above 1 the held-out rows know more about their target through this feature than chance allows.</summary>
    public double Ratio => Ceiling > 0 ? Gap / Ceiling : Gap > 0 ? double.PositiveInfinity : 0;

    /// <summary>
    /// "Far stronger", the size of the effect: the feature leaves at most half as much of the target unexplained on the
    /// held-out rows as on train. A split taken at another time may shift a feature's strength a little, and with many
    /// rows even a little is beyond chance; a feature computed from the held-out answers removes most of what was left.
    /// </summary>
    public bool FarStronger => 1 - HeldOutShare <= 0.5 * (1 - TrainShare);
}

/// <summary>
/// Table features whose association with the target is far stronger on a held-out split than on train: the mark of a
/// feature computed from the target with the held-out rows (a numeric copy of the target + noise on validation rows
/// only, a statistic of the held-out answers). Measured per split, with no model carried across: the feature is cut into
/// quantile bins and the share of the target's variation the bins explain (η², the correlation ratio; for classes, of the
/// one-hot target, i.e. the Gini impurity removed) is taken on each split alone. Works the same for classes and numbers.
/// </summary>
/// <remarks>
/// The control is the same rows with the split labels shuffled (sizes kept): it carries the small-split bias of η² and
/// the spread of every feature, and the largest gap over all features in each shuffle makes the bar account for looking
/// at many features. A real, strong feature (iris petal length) is strong on every split and its gap stays within chance.
/// </remarks>
public static class HeldOutAssociation
{
    /// <summary>Shuffles of the split labels: enough for the mean and spread of the largest gap.</summary>
    public const int Shuffles = 100;

    /// <summary>
    /// Standard deviations above the shuffles' mean largest gap that chance does not reach: the largest of many gaps
    /// is Gumbel-like, and 5 deviations leave about one in a thousand, as the copy counts do.
    /// </summary>
    public const double TailDeviations = 5;

    /// <summary>Each bin holds at least this many rows of the smaller split (a bin of 1–2 rows explains anything).</summary>
    const int RowsPerBin = 10;
    const int MaxBins = 10;
    /// <summary>Rows compared per split (a seeded sample beyond it): the gap's spread is then far below any leak.</summary>
    const int MaxRows = 20_000;
    /// <summary>A held-out split smaller than this has too few rows for two bins.</summary>
    const int MinRows = 2 * RowsPerBin;

    public static bool Applies(Dataset data) =>
        data.Task is TaskKind.Classification or TaskKind.Regression && data.Train.Inputs.dim() == 2 && data.Train.Inputs.is_floating_point()
        && data.Train.Targets.dim() == 1;

    /// <summary>Every feature's gap, for validation and test against train (splits too small left out).</summary>
    public static List<AssociationGap> Measure(Dataset data, long seed)
    {
        var splits = data.Splits.ToArray();
        int features = (int)data.Train.Inputs.shape[1];
        var inputs = splits.Select(s => Copy<float>(s.Inputs, TorchSharp.torch.float32)).ToArray();
        var targets = splits.Select(s => Copy<double>(s.Targets, TorchSharp.torch.float64)).ToArray();
        var random = new Random(unchecked((int)seed));
        int[] Sample(int count)
        {
            var rows = Enumerable.Range(0, count).ToArray();
            if (count <= MaxRows) return rows;
            random.Shuffle(rows);
            return rows[..MaxRows];
        }
        var trainRows = Sample(splits[0].Count);
        var gaps = new List<AssociationGap>();
        for (int s = 1; s < splits.Length; s++)
        {
            if (splits[s].Count < MinRows || trainRows.Length < MinRows) continue;
            var heldRows = Sample(splits[s].Count);
            var rows = trainRows.Select(i => (Split: 0, Index: i)).Concat(heldRows.Select(i => (Split: s, Index: i))).ToArray();
            var y = Targets.Of(rows.Select(r => targets[r.Split][r.Index]).ToArray(), data.Task, data.ClassCount);
            int bins = Math.Clamp(Math.Min(trainRows.Length, heldRows.Length) / RowsPerBin, 2, MaxBins);
            var pooled = Enumerable.Range(0, features)
                .Select(j => new Pooled(Bin(rows.Select(r => inputs[r.Split][r.Index * features + j]).ToArray(), bins), bins + 1, y)).ToArray();
            var heldOut = Enumerable.Range(trainRows.Length, heldRows.Length).ToArray();
            var observed = pooled.Select(p => p.Shares(heldOut)).ToArray();

            var order = Enumerable.Range(0, rows.Length).ToArray();
            var largest = new double[Shuffles];
            for (int r = 0; r < Shuffles; r++)
            {
                random.Shuffle(order);
                var shuffled = order[..heldOut.Length];
                largest[r] = pooled.Max(p => p.Shares(shuffled) is var (train, held) ? held - train : 0);
            }
            double mean = largest.Average();
            double deviation = Math.Sqrt(largest.Sum(v => (v - mean) * (v - mean)) / (Shuffles - 1));
            for (int j = 0; j < features; j++)
                gaps.Add(new AssociationGap(splits[s].Name, j, observed[j].Train, observed[j].HeldOut, mean, deviation, mean + TailDeviations * deviation));
        }
        return gaps;
    }

    /// <summary>
    /// The rows' targets as the bins sum them: a class index (its one-hot vector, summed as a count per class) or the
    /// number centred on its mean (for the sums' precision). One add per row either way, however many classes.
    /// </summary>
    sealed record Targets(int[]? Classes, double[]? Values, int Dimensions)
    {
        public static Targets Of(double[] y, TaskKind task, int classes) => task == TaskKind.Classification
            ? new Targets(y.Select(v => v >= 0 && v < classes ? (int)v : -1).ToArray(), null, classes)
            : new Targets(null, Centred(y), 1);

        static double[] Centred(double[] y)
        {
            double mean = y.Average();
            return y.Select(v => v - mean).ToArray();
        }
    }

    /// <summary>
    /// Quantile bins over the pooled rows (the same edges for every split and shuffle): each distinct value its own bin
    /// when there are few; otherwise the rank of a value's first occurrence decides, so tied rows share a bin. Missing
    /// values get a bin of their own (number <paramref name="bins"/>).
    /// </summary>
    static int[] Bin(float[] values, int bins)
    {
        var bin = new int[values.Length];
        var present = Enumerable.Range(0, values.Length).Where(i => !float.IsNaN(values[i])).OrderBy(i => values[i]).ToArray();
        foreach (int i in Enumerable.Range(0, values.Length).Where(i => float.IsNaN(values[i]))) bin[i] = bins;
        int distinct = present.Select(i => values[i]).Distinct().Count();
        int rank = 0, valueRank = -1;
        for (int k = 0; k < present.Length; k++)
        {
            if (k == 0 || values[present[k]] != values[present[k - 1]]) { rank = k; valueRank++; }
            bin[present[k]] = distinct <= bins ? valueRank : (int)((long)rank * bins / present.Length);
        }
        return bin;
    }

    /// <summary>One feature's bins over the pooled rows, with the pooled sums: a split's share needs a pass over its own rows only.</summary>
    sealed class Pooled
    {
        readonly int[] _bin;
        readonly Targets _y;
        readonly int _bins, _dims;
        readonly int[] _count;
        readonly double[] _sum;
        readonly double _squares;

        public Pooled(int[] bin, int bins, Targets y)
        {
            _bin = bin;
            _y = y;
            _bins = bins;
            _dims = y.Dimensions;
            _count = new int[bins];
            _sum = new double[bins * _dims];
            _squares = Add(Enumerable.Range(0, bin.Length), _count, _sum);
        }

        /// <summary>η² on the rest of the pooled rows (train) and on the given rows (held out).</summary>
        public (double Train, double HeldOut) Shares(int[] heldOut)
        {
            var count = new int[_bins];
            var sum = new double[_bins * _dims];
            double squares = Add(heldOut, count, sum);
            var restCount = new int[_bins];
            var restSum = new double[_bins * _dims];
            for (int b = 0; b < _bins; b++) restCount[b] = _count[b] - count[b];
            for (int t = 0; t < restSum.Length; t++) restSum[t] = _sum[t] - sum[t];
            return (Share(restCount, restSum, _squares - squares), Share(count, sum, squares));
        }

        /// <summary>Adds the rows to per-bin counts and target sums; returns their sum of squared target entries.</summary>
        double Add(IEnumerable<int> rows, int[] count, double[] sum)
        {
            double squares = 0;
            foreach (int i in rows)
            {
                int b = _bin[i];
                count[b]++;
                if (_y.Classes is { } classes)
                {
                    if (classes[i] < 0) continue;
                    sum[b * _dims + classes[i]] += 1;
                    squares += 1;
                }
                else
                {
                    double v = _y.Values![i];
                    sum[b] += v;
                    squares += v * v;
                }
            }
            return squares;
        }

        /// <summary>Between-bin ÷ total sum of squares of the target vectors.</summary>
        double Share(int[] count, double[] sum, double squares)
        {
            int n = count.Sum();
            if (n < 2) return 0;
            double overall = 0, within = 0;
            for (int k = 0; k < _dims; k++)
            {
                double total = 0;
                for (int b = 0; b < _bins; b++) total += sum[b * _dims + k];
                overall += total * total / n;
            }
            for (int b = 0; b < _bins; b++)
                if (count[b] > 0)
                    for (int k = 0; k < _dims; k++) within += sum[b * _dims + k] * sum[b * _dims + k] / count[b];
            double totalSquares = squares - overall;
            return totalSquares <= 1e-12 * Math.Max(1, squares) ? 0 : Math.Clamp((within - overall) / totalSquares, 0, 1);
        }
    }

    static T[] Copy<T>(TorchSharp.torch.Tensor tensor, TorchSharp.torch.ScalarType type) where T : unmanaged
    {
        using var converted = tensor.to_type(type);
        return Inspect.TensorCopy.ToArray<T>(converted);
    }
}
