using System.Diagnostics;
using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using Recipe.Tests.Inspect;
using Recipe.Tests.Support;
using Xunit.Abstractions;

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
        "worst_near_copy_ratio", "association_gap", "association_ceiling", "association_ratio", "target_encoding_ratio",
    ];

    CheckResult CheckClean(Dataset data)
    {
        var clock = Stopwatch.StartNew();
        using var context = new CheckContext(Pipeline.Default(data, InputNormalizer.Identity()));
        var result = CheckSuite.RunOne(new SplitIntegrity(), context);
        output.WriteLine($"{data.Name}: {result.Verdict} in {clock.Elapsed.TotalSeconds:F1} s; " +
                         string.Join(", ", data.Splits.Select(s => $"{s.Name} {s.Count}")));
        foreach (var name in Reported)
            if (result.Evidence.Numbers.Any(n => n.Key == name)) output.WriteLine($"  {name} = {result.Evidence[name]:G4}");
        output.WriteLine("  " + result.Finding);
        Assert.Equal(Verdict.Pass, result.Verdict);
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
}
