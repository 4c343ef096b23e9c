using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using Recipe.Tests.Inspect;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// split-integrity's held-out association on a provider's own table: a feature that carries the target (plus noise) only
/// on the validation rows fails, for classes and for numbers; the same provider without it passes, and so does iris,
/// whose petal length is legitimately strong on every split.
/// </summary>
public class SplitIntegrityAssociationTests
{
    static Pipeline PipelineOn(Dataset data) => Pipeline.Default(data, InputNormalizer.Identity());

    /// <summary>
    /// Rows of <paramref name="features"/> with their targets, cut into 60/20/20 % splits (seeded order), plus a last
    /// column: noise on every split, or on validation the target plus a little noise (the leak).
    /// </summary>
    static Dataset Provider(double[][] features, double[] targets, TaskKind task, IReadOnlyList<string> classNames, bool leakIntoValidation)
    {
        var random = new Random(21);
        var order = Enumerable.Range(0, features.Length).OrderBy(_ => random.Next()).ToArray();
        int validation = features.Length / 5, test = features.Length / 5, train = features.Length - validation - test;
        double spread = Math.Sqrt(targets.Select(t => (t - targets.Average()) * (t - targets.Average())).Average());
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        DataSplit Make(string name, int[] rows)
        {
            int width = features[0].Length + 1;
            var x = rows.SelectMany(r => features[r].Append(name == "validation" && leakIntoValidation
                ? targets[r] + 0.1 * spread * Gaussian()
                : targets.Average() + spread * Gaussian()).Select(v => (float)v)).ToArray();
            var y = task == TaskKind.Classification
                ? tensor(rows.Select(r => (long)targets[r]).ToArray())
                : tensor(rows.Select(r => (float)targets[r]).ToArray());
            return new DataSplit(name, tensor(x).view(rows.Length, width), y);
        }
        return new Dataset
        {
            Name = "provider table", Source = "a user's provider", Format = DataFormat.Csv, Task = task, ClassNames = classNames,
            ExampleShape = [features[0].Length + 1],
            Train = Make("train", order[..train]), Validation = Make("validation", order[train..(train + validation)]), Test = Make("test", order[(train + validation)..]),
        };
    }

    static Dataset Iris(bool leak)
    {
        var (features, names) = SklearnTables.Read("iris");
        var classes = names.Distinct().ToList();
        return Provider(features, names.Select(n => (double)classes.IndexOf(n)).ToArray(), TaskKind.Classification, classes, leak);
    }

    /// <summary>A regression: y = x0 + x1 + noise over 5 features, 600 rows.</summary>
    static Dataset Regression(bool leak)
    {
        var random = new Random(8);
        var features = Enumerable.Range(0, 600).Select(_ => Enumerable.Range(0, 5).Select(_ => random.NextDouble() * 4 - 2).ToArray()).ToArray();
        var targets = features.Select(f => f[0] + f[1] + random.NextDouble() * 2 - 1).ToArray();
        return Provider(features, targets, TaskKind.Regression, [], leak);
    }

    [Fact]
    public void Given_iris_with_a_column_that_carries_the_class_only_on_validation_rows_When_checked_Then_it_fails_naming_it()
    {
        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), PipelineOn(Iris(leak: true)));

        Assert.True(result.Evidence["association_ratio"] > 1, $"ratio {result.Evidence["association_ratio"]}");
        Assert.Contains("feature 'x4'", result.Finding);
        Assert.Contains(result.Evidence.Notes, n => n.StartsWith("Feature 'x4' on validation rows") && n.Contains("validation#0"));
        Assert.Contains(result.Evidence.Notes, n => n.Contains("Numbers this leak invalidates") && n.Contains("early stopping"));
    }

    [Fact]
    public void Given_iris_without_the_leak_When_checked_Then_petal_length_strong_on_every_split_passes()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), PipelineOn(Iris(leak: false)));

        Assert.True(result.Evidence["association_ratio"] <= 1);
    }

    [Fact]
    public void Given_a_regression_with_the_target_plus_noise_only_on_validation_rows_When_checked_Then_it_fails()
    {
        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), PipelineOn(Regression(leak: true)));

        Assert.Contains("feature 'x5'", result.Finding);
    }

    [Fact]
    public void Given_the_same_regression_without_the_leak_When_checked_Then_it_passes()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), PipelineOn(Regression(leak: false)));

        Assert.True(result.Evidence["association_ratio"] <= 1);
    }
}
