using System.Diagnostics;
using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Checks.Splits;
using Recipe.Data;
using Recipe.Tests.Inspect;
using Recipe.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// split-integrity on clean real data, split as Recipe splits it: no false alarm from the copies and near copies real data
/// holds (Fashion-MNIST's look-alike photographs, the word list's "Bill" and "bill") nor from legitimately strong features
/// (iris petal length). Prints the measured numbers for the benchmarks.
/// </summary>
public class SplitIntegrityRealDataTests(ITestOutputHelper output)
{
    static readonly string[] Reported =
    [
        "validation_in_train_copies", "validation_in_train_chance_ceiling", "validation_in_train_near_copies", "validation_in_train_near_chance_ceiling",
        "test_in_train_near_copies", "test_in_train_near_chance_ceiling", "near_control_with_copy", "near_control_held_out", "worst_copy_ratio",
        "worst_near_copy_ratio", "near_pairs", "near_search_seconds", "near_sample", "near_fingerprints_seconds", "near_index_seconds", "near_control_seconds", "near_held_out_seconds", "association_gap", "association_ceiling", "association_ratio", "target_encoding_ratio",
    ];

    CheckResult CheckClean(Dataset data) => Check(data, Verdict.Pass);

    CheckResult Check(Dataset data, Verdict expected)
    {
        var clock = Stopwatch.StartNew();
        using var context = new CheckContext(Pipeline.Default(data, InputNormalizer.Identity()));
        var result = CheckSuite.RunOne(new SplitIntegrity(), context);
        output.WriteLine($"{data.Name}: {result.Verdict} in {clock.Elapsed.TotalSeconds:F1} s; " +
                         string.Join(", ", data.Splits.Select(s => $"{s.Name} {s.Count}")));
        foreach (var name in Reported)
            if (result.Evidence.Numbers.Any(n => n.Key == name)) output.WriteLine($"  {name} = {result.Evidence[name]:G4}");
        output.WriteLine("  " + result.Finding);
        Assert.Equal(expected, result.Verdict);
        return result;
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_2000_Fashion_MNIST_images_When_checked_Then_no_near_copy_alarm()
    {
        using var full = IdxDataset.FromFolder("/usr/share/datasets/fashion-mnist", "fashion-mnist");
        using var head = full.Head(2000);
        CheckClean(head);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_the_word_list_When_checked_Then_its_own_case_variants_raise_no_alarm()
    {
        using var words = TextLinesDataset.Read("/usr/share/dict/words");
        var result = CheckClean(words);
        Assert.True(result.Evidence["near_control_with_copy"] > 0, "the word list holds case variants within train");
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("iris")]
    [InlineData("wine")]
    [InlineData("breast_cancer")]
    [InlineData("digits")]
    [InlineData("diabetes")]
    public void Given_a_clean_real_table_When_checked_Then_no_feature_knows_the_held_out_targets(string name)
    {
        using var folder = new TempFolder();
        using var data = DataSpec.Load(SklearnTables.Write(folder.Path, name));
        CheckClean(data);
    }

    static Dataset WithTrain(Dataset source, DataSplit train) => new()
    {
        Name = source.Name + " (leaky provider)", Source = source.Source, Format = source.Format, Task = source.Task, ClassNames = source.ClassNames,
        ExampleShape = source.ExampleShape, Train = train, Validation = source.Validation, Test = source.Test, Vocabulary = source.Vocabulary,
    };

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_all_70000_Fashion_MNIST_images_When_checked_Then_no_alarm()
    {
        using var full = IdxDataset.FromFolder("/usr/share/datasets/fashion-mnist", "fashion-mnist");
        CheckClean(full);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_2000_Fashion_MNIST_images_with_altered_validation_copies_in_train_When_checked_Then_it_fails()
    {
        using var full = IdxDataset.FromFolder("/usr/share/datasets/fashion-mnist", "fashion-mnist");
        using var head = full.Head(2000);
        var leaky = WithTrain(head, new DataSplit("train", cat([head.Train.Inputs, SplitIntegrityNearCopiesTests.Altered(head.Validation.Inputs)], 0),
            cat([head.Train.Targets, head.Validation.Targets], 0)));
        Check(leaky, Verdict.Fail);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_the_word_list_with_5_percent_of_validation_re_cased_into_train_When_checked_Then_it_fails()
    {
        using var words = TextLinesDataset.Read("/usr/share/dict/words");
        var vocabulary = words.Vocabulary!;
        var validation = TextNearCopies.Lines([words.Validation], vocabulary);
        var recased = validation.Select(l => l.ToUpperInvariant())
            .Where((l, i) => l != validation[i] && l.All(vocabulary.Contains)).Take(validation.Length / 20).ToList();
        var copies = SplitIntegrityNearCopiesTests.Encode("train", recased, vocabulary, (int)words.ExampleShape[0]);
        var leaky = WithTrain(words, new DataSplit("train", cat([words.Train.Inputs, copies.Inputs], 0), cat([words.Train.Targets, copies.Targets], 0)));
        var result = Check(leaky, Verdict.Fail);
        Assert.True(result.Evidence["validation_in_train_near_copies"] >= recased.Count);
    }
}
