using System.Globalization;
using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Tests.Support;

/// <summary>Small synthetic tables in the shape of the real ones that exposed training-length and scaling bugs.</summary>
public static class TinyTables
{
    /// <summary>
    /// Iris-sized: 150 rows, 4 features, 3 well-separated Gaussian classes (centres 3·√2 apart, std 1: about 97 % separable, so validation loss levels off), as a CSV with a
    /// header. A linear model reaches well over 90 %; ten optimizer steps at Adam 3e-4 barely move from chance.
    /// </summary>
    public static string WriteBlobsCsv(string path, int rows = 150, int seed = 1)
    {
        var random = new Random(seed);
        var lines = new List<string> { "f0,f1,f2,f3,label" };
        for (int i = 0; i < rows; i++)
        {
            int label = i % 3;
            var features = Enumerable.Range(0, 4).Select(f => (f == label ? 3 : 0) + Gaussian(random));
            lines.Add(string.Join(",", features.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))) + $",c{label}");
        }
        return TinyData.WriteCsv(path, [.. lines]);
    }

    /// <summary>
    /// Diabetes-sized: 442 rows, 6 features, a target around 150 ± 70 (a linear function of the features plus noise), as a
    /// CSV with a header: in the hundreds, like the clean diabetes data that raw-target training blocked.
    /// </summary>
    public static string WriteRegressionCsv(string path, int rows = 442, int seed = 2)
    {
        var random = new Random(seed);
        double[] weights = [30, -20, 25, 10, 0, 0];
        var lines = new List<string> { "a,b,c,d,e,f,target" };
        for (int i = 0; i < rows; i++)
        {
            var x = Enumerable.Range(0, 6).Select(_ => Gaussian(random)).ToArray();
            double y = 150 + x.Zip(weights, (v, w) => v * w).Sum() + 30 * Gaussian(random);
            lines.Add(string.Join(",", x.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))) + "," + Math.Round(y).ToString(CultureInfo.InvariantCulture));
        }
        return TinyData.WriteCsv(path, [.. lines]);
    }

    /// <summary>
    /// A table no linear model can fit: 400 rows, 4 features, the class is whether x0 and x1 have the same sign (XOR), with a
    /// margin kept clear around both axes; x2 and x3 are noise. A linear model stays near chance, a small MLP learns it.
    /// One label in ten is flipped, so validation levels off and the run ends on early stopping rather than on the step cap.
    /// </summary>
    public static string WriteXorCsv(string path, int rows = 400, int seed = 4)
    {
        var random = new Random(seed);
        var lines = new List<string> { "x0,x1,x2,x3,label" };
        while (lines.Count <= rows)
        {
            var x = Enumerable.Range(0, 4).Select(_ => Gaussian(random)).ToArray();
            if (Math.Abs(x[0]) < 0.2 || Math.Abs(x[1]) < 0.2) continue;
            bool same = x[0] * x[1] > 0 ^ random.NextDouble() < 0.1;
            lines.Add(string.Join(",", x.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))) + (same ? ",same" : ",opposite"));
        }
        return TinyData.WriteCsv(path, [.. lines]);
    }

    /// <summary>A two-class table in memory: label = (x0 + noise·z > 0), so the labels are partly noise and a wide net can memorize them.</summary>
    public static Dataset NoisyTwoClass(int train, int validation, double noise, int seed = 3)
    {
        var generator = new Generator((ulong)seed);
        DataSplit Make(string name, int count)
        {
            var x = randn([count, 8], generator: generator);
            var y = x[.., 0].add(randn([count], generator: generator).mul(noise)).gt(0).to_type(int64);
            return new DataSplit(name, x, y);
        }
        return new Dataset
        {
            Name = "noisy two-class", Source = "synthetic", Format = DataFormat.Csv, Task = TaskKind.Classification, ClassNames = ["no", "yes"],
            ExampleShape = [8], Train = Make("train", train), Validation = Make("validation", validation), Test = Make("test", validation),
        };
    }

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
