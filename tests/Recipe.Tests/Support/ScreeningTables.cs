using System.Globalization;
using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Tests.Support;

/// <summary>
/// Two-class tables of numeric columns in memory, with the raw <see cref="Table"/> a CSV would have given (what column
/// screening reads), and train/validation/test splits of the sizes a test asks for: few training rows make a model
/// memorise whatever columns it is shown.
/// </summary>
public static class ScreeningTables
{
    /// <summary>
    /// Two signal columns (s0, s1: the class is whether s0 + s1 plus a little noise is positive) among six pure-noise
    /// columns (n0…n5). The signal columns explain far more of the class alone than any noise column, so the half kept
    /// is s0, s1 and the two noise columns that correlate most with the class by chance.
    /// </summary>
    public static Dataset SignalAmongNoise(int train = 40, int validation = 600, int seed = 11) =>
        Build("signal among noise", ["s0", "s1", "n0", "n1", "n2", "n3", "n4", "n5"], train, validation, seed, random =>
        {
            var x = Enumerable.Range(0, 8).Select(_ => Gaussian(random)).ToArray();
            return (x, x[0] + x[1] + 0.3 * Gaussian(random) > 0 ? 1 : 0);
        });

    /// <summary>
    /// The class is whether x0 and x1 have the same sign (XOR, a margin kept clear of both axes), which neither column
    /// shows alone; c0 and c1 are the class plus much noise, a weak signal each column shows alone. Screening keeps c0
    /// and c1 and drops the two columns that carry the class: an interaction univariate screening cannot see.
    /// </summary>
    public static Dataset InteractionScreenedOut(int train = 300, int validation = 600, int seed = 12) =>
        Build("interaction", ["x0", "x1", "c0", "c1"], train, validation, seed, random =>
        {
            double x0, x1;
            do (x0, x1) = (Gaussian(random), Gaussian(random)); while (Math.Abs(x0) < 0.2 || Math.Abs(x1) < 0.2);
            int label = x0 * x1 > 0 ? 1 : 0;
            return ([x0, x1, label + 2 * Gaussian(random), label + 2 * Gaussian(random)], label);
        });

    static Dataset Build(string name, string[] columns, int train, int validation, int seed, Func<Random, (double[] X, int Label)> row)
    {
        var random = new Random(seed);
        int total = train + 2 * validation;
        var rows = Enumerable.Range(0, total).Select(_ => row(random)).ToArray();
        var features = columns.Select((column, c) =>
        {
            var numbers = rows.Select(r => r.X[c]).ToArray();
            return new Column(column, ColumnKind.Numeric, numbers.Select(v => (string?)v.ToString("R", CultureInfo.InvariantCulture)).ToArray(), numbers, []);
        }).ToList();
        var labels = rows.Select(r => r.Label == 1 ? "yes" : "no").ToArray();
        var target = new Column("label", ColumnKind.Categorical, labels, labels.Select(_ => double.NaN).ToArray(), ["no", "yes"]);
        var table = new Table($"{name}.csv", features, target, Enumerable.Range(2, total).ToArray(), columns);
        DataSplit Split(string split, int start, int count)
        {
            var x = new float[count * columns.Length];
            for (int r = 0; r < count; r++)
                for (int c = 0; c < columns.Length; c++) x[r * columns.Length + c] = (float)rows[start + r].X[c];
            var y = rows.Skip(start).Take(count).Select(r => (long)r.Label).ToArray();
            return new DataSplit(split, tensor(x).reshape(count, columns.Length), tensor(y), sourceIndices: Enumerable.Range(start, count).Select(i => (long)i).ToArray());
        }
        return new Dataset
        {
            Name = name, Source = $"{name}.csv", Format = DataFormat.Csv, Task = TaskKind.Classification, ClassNames = ["no", "yes"],
            ExampleShape = [columns.Length], Train = Split("train", 0, train), Validation = Split("validation", train, validation),
            Test = Split("test", train + validation, validation), Table = table,
        };
    }

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
