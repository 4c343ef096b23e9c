using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// split-integrity on datasets a provider built itself: leaks between splits (validation appended to train, 5 % of
/// test copied into validation) fail; the same data without the leak, and a table with natural duplicate rows in
/// every split (as iris has), pass.
/// </summary>
public class SplitIntegrityTests
{
    static Pipeline PipelineOn(Dataset data) => Pipeline.Default(data, InputNormalizer.Identity());

    /// <summary>
    /// A classification table with 4 features rounded to one decimal (few distinct values, as in iris) so that
    /// identical rows occur naturally within and across splits.
    /// </summary>
    static Dataset Table(int train = 1500, int validation = 400, int test = 400, int decimals = 3)
    {
        var generator = new Generator(3);
        DataSplit Make(string name, int count)
        {
            var x = randn([count, 4], generator: generator);
            double scale = Math.Pow(10, decimals);
            x = x.mul(scale).round().div(scale).to_type(float32);
            var y = x.sum(1).gt(0).to_type(int64);
            return new DataSplit(name, x, y);
        }
        return new Dataset
        {
            Name = "provider table", Source = "a user's provider", Format = DataFormat.Csv, Task = TaskKind.Classification,
            ClassNames = ["no", "yes"], ExampleShape = [4], Train = Make("train", train), Validation = Make("validation", validation),
            Test = Make("test", test),
        };
    }

    static Dataset With(Dataset source, DataSplit? train = null, DataSplit? validation = null, DataSplit? test = null) => new()
    {
        Name = source.Name, Source = source.Source, Format = source.Format, Task = source.Task, ClassNames = source.ClassNames,
        ExampleShape = source.ExampleShape, Train = train ?? source.Train, Validation = validation ?? source.Validation, Test = test ?? source.Test,
    };

    static DataSplit Concatenate(string name, DataSplit first, DataSplit second) =>
        new(name, cat([first.Inputs, second.Inputs], 0), cat([first.Targets, second.Targets], 0));

    [Fact]
    public void Given_the_provider_appends_validation_to_train_When_checked_Then_it_fails_and_shows_the_copies()
    {
        var clean = Table();
        var leaky = With(clean, train: Concatenate("train", clean.Train, clean.Validation));

        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), PipelineOn(leaky));

        Assert.Equal(clean.Validation.Count, result.Evidence["validation_in_train_copies"]);
        Assert.Contains(result.Evidence.Notes, n => n.Contains("validation#0") && n.Contains("= train#"));
        Assert.Contains("every validation", result.Advice);
        Assert.Equal(clean.Train.Count + clean.Validation.Count, result.Evidence["train_examples"]);
    }

    [Fact]
    public void Given_5_percent_of_test_copied_into_validation_When_checked_Then_it_fails()
    {
        var clean = Table();
        int copied = clean.Test.Count / 20;
        var copies = clean.Test.Subset("validation", Enumerable.Range(0, copied).Select(i => (long)i).ToArray());
        var leaky = With(clean, validation: Concatenate("validation", clean.Validation, copies));

        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), PipelineOn(leaky));

        Assert.Equal(copied, result.Evidence["test_in_validation_copies"]);
        // Test examples in validation inflate the final score (choices tuned on validation saw them), not validation's own numbers.
        var invalidated = Assert.Single(result.Evidence.Notes, n => n.StartsWith("Numbers this leak invalidates"));
        Assert.Contains("test leaked (validation)", invalidated);
        Assert.Contains("test_accuracy", invalidated);
        Assert.DoesNotContain("validation leaked", invalidated);
    }

    [Fact]
    public void Given_the_same_provider_without_the_leak_When_checked_Then_it_passes()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), PipelineOn(Table()));

        Assert.Equal(0, result.Evidence["validation_in_train_copies"]);
    }

    [Fact]
    public void Given_natural_duplicate_rows_in_every_split_When_checked_Then_the_control_explains_them_and_it_passes()
    {
        // One decimal on 2 features' worth of spread: many identical rows within train and across splits, by chance alone.
        var natural = Table(train: 300, validation: 60, test: 60, decimals: 0);

        var result = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), PipelineOn(natural));

        Assert.True(result.Evidence["validation_in_train_copies"] > 0, "the data was meant to have natural cross-split copies");
        Assert.True(result.Evidence["control_with_copy"] > 0, "the control was meant to see copies within train");
    }

    /// <summary>
    /// A provider's table: an honest numeric feature plus a category (300 of them, a few rows each) replaced by its mean
    /// target, computed over <paramref name="encodeWith"/> (train only, or every split). Rows are drawn once, then split.
    /// </summary>
    static Dataset TargetEncoded(string[] encodeWith)
    {
        var random = new Random(5);
        const int categories = 300;
        var effect = Enumerable.Range(0, categories).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var sizes = new Dictionary<string, int> { ["train"] = 1200, ["validation"] = 400, ["test"] = 400 };
        var rows = sizes.ToDictionary(p => p.Key, p => Enumerable.Range(0, p.Value).Select(_ =>
        {
            int category = random.Next(categories);
            double honest = Math.Round(random.NextDouble() * 4 - 2, 2);
            long label = effect[category] + 0.5 * honest + (random.NextDouble() * 2 - 1) > 0 ? 1 : 0;
            return (category, honest, label);
        }).ToArray());
        var encoded = rows.Where(p => encodeWith.Contains(p.Key)).SelectMany(p => p.Value).GroupBy(r => r.category)
            .ToDictionary(g => g.Key, g => g.Average(r => (double)r.label));
        double fallback = rows["train"].Average(r => (double)r.label);
        DataSplit Make(string name) => new(name,
            tensor(rows[name].SelectMany(r => new[] { (float)r.honest, (float)encoded.GetValueOrDefault(r.category, fallback) }).ToArray(),
                [rows[name].Length, 2]),
            tensor(rows[name].Select(r => r.label).ToArray()));
        return new Dataset
        {
            Name = "provider table with a target encoding", Source = "a user's provider", Format = DataFormat.Csv, Task = TaskKind.Classification,
            ClassNames = ["no", "yes"], ExampleShape = [2], Train = Make("train"), Validation = Make("validation"), Test = Make("test"),
        };
    }

    [Fact]
    public void Given_a_target_encoding_computed_over_all_splits_When_checked_Then_it_fails_naming_the_feature()
    {
        var leaky = TargetEncoded(["train", "validation", "test"]);

        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), PipelineOn(leaky));

        Assert.True(result.Evidence["target_encoding_ratio"] < 0.1);
        Assert.Contains(result.Evidence.Notes, n => n.Contains("'x1'") && n.Contains("validation#"));
        Assert.Contains("every validation", result.Advice);
    }

    [Fact]
    public void Given_a_target_encoding_fitted_on_train_only_When_checked_Then_it_passes()
    {
        var honest = TargetEncoded(["train"]);

        var result = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), PipelineOn(honest));

        // The closest feature is about as far from the mean with held-out rows as from the train-only one: no encoding with held-out answers.
        Assert.True(result.Evidence["target_encoding_ratio"] > 0.5, $"closest ratio {result.Evidence["target_encoding_ratio"]}");
    }

    [Fact]
    public void Given_text_lines_that_repeat_naturally_in_every_split_When_checked_Then_the_control_explains_them_and_it_passes()
    {
        // 400 lines drawn from 36 words: most validation lines also occur in train, and as often within train.
        var result = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), CheckTestData.WordsPipeline());

        Assert.True(result.Evidence["validation_in_train_copies"] > 0, "the word lines were meant to repeat across splits");
    }

    [Fact]
    public void Given_images_whose_validation_split_was_appended_to_train_When_checked_Then_it_fails()
    {
        var clean = CheckTestData.FashionMnist;
        var leaky = With(clean, train: Concatenate("train", clean.Train, clean.Validation));

        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), Pipeline.Default(leaky, CheckTestData.FashionNormalizer));

        Assert.Equal(clean.Validation.Count, result.Evidence["validation_in_train_copies"]);
    }
}
