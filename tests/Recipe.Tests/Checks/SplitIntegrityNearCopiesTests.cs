using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// split-integrity's near copies on a provider's own splits: validation images appended to train slightly altered (a
/// one-pixel shift, a brightness change, noise) and validation lines appended re-cased or re-spaced fail; the same
/// providers without the leak pass, including a word list that holds case variants of its own ("Bill", "bill").
/// </summary>
public class SplitIntegrityNearCopiesTests
{
    static Dataset With(Dataset source, DataSplit train) => new()
    {
        Name = source.Name, Source = "a user's provider", Format = source.Format, Task = source.Task, ClassNames = source.ClassNames,
        ExampleShape = source.ExampleShape, Train = train, Validation = source.Validation, Test = source.Test, Vocabulary = source.Vocabulary,
    };

    /// <summary>Each validation image altered by one of three edits, in turn: shifted a pixel right, 2 % brighter plus an offset, pixel noise.</summary>
    internal static Tensor Altered(Tensor images)
    {
        var generator = new Generator(11);
        var x = images.to_type(float32);
        var shifted = x.roll(1, 3);
        var brighter = x * 1.02 + 3;
        var noisy = x + randn(x.shape, generator: generator) * 4;
        var which = arange(x.shape[0]).remainder(3).view(-1, 1, 1, 1);
        var mixed = where(which.eq(0), shifted, where(which.eq(1), brighter, noisy));
        return mixed.round().clamp(0, 255).to_type(uint8);
    }

    [Fact]
    public void Given_altered_copies_of_the_validation_images_appended_to_train_When_checked_Then_it_fails_on_near_copies()
    {
        var clean = CheckTestData.FashionMnist;
        var altered = new DataSplit("train", cat([clean.Train.Inputs, Altered(clean.Validation.Inputs)], 0),
            cat([clean.Train.Targets, clean.Validation.Targets], 0));
        var leaky = With(clean, altered);

        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), Pipeline.Default(leaky, CheckTestData.FashionNormalizer));

        Assert.Equal(0, result.Evidence["validation_in_train_copies"]);   // no exact copy: only the near-copy search sees it
        Assert.True(result.Evidence["validation_in_train_near_copies"] >= 0.9 * clean.Validation.Count,
            $"{result.Evidence["validation_in_train_near_copies"]} of {clean.Validation.Count} altered copies found");
        Assert.Contains(result.Evidence.Notes, n => n.StartsWith("Near copies (split#index") && n.Contains("validation#0") && n.Contains("≈ train#"));
        Assert.Contains(result.Evidence.Notes, n => n.Contains("Numbers this leak invalidates") && n.Contains("validation_accuracy"));
    }

    [Fact]
    public void Given_the_same_images_without_the_leak_When_checked_Then_the_near_copies_stay_within_chance()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), CheckTestData.FashionPipeline());

        Assert.True(result.Evidence["worst_near_copy_ratio"] <= 1);
    }

    [Fact]
    public void Given_float_images_on_a_0_to_1_scale_with_altered_validation_copies_in_train_When_checked_Then_it_fails()
    {
        // A provider may store its images already scaled: the search must not see them all as blank.
        var clean = CheckTestData.FashionMnist;
        DataSplit Scaled(string name, Tensor images, Tensor targets) => new(name, images.to_type(float32) / 255, targets);
        var leaky = new Dataset
        {
            Name = "scaled", Source = "a user's provider", Format = clean.Format, Task = clean.Task, ClassNames = clean.ClassNames,
            ExampleShape = clean.ExampleShape,
            Train = Scaled("train", cat([clean.Train.Inputs, Altered(clean.Validation.Inputs)], 0), cat([clean.Train.Targets, clean.Validation.Targets], 0)),
            Validation = Scaled("validation", clean.Validation.Inputs, clean.Validation.Targets),
            Test = Scaled("test", clean.Test.Inputs, clean.Test.Targets),
        };

        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), Pipeline.Default(leaky, InputNormalizer.Identity()));

        Assert.True(result.Evidence["validation_in_train_near_copies"] >= 0.9 * clean.Validation.Count);
    }

    /// <summary>Lines as a provider's autoregressive dataset: x = [␀, c1 … cn, pad], y = [c1 … cn, ␀, -1 …].</summary>
    internal static DataSplit Encode(string name, IReadOnlyList<string> lines, Vocabulary vocabulary, int steps)
    {
        var x = new long[lines.Count * steps];
        var y = Enumerable.Repeat(-1L, lines.Count * steps).ToArray();
        for (int n = 0; n < lines.Count; n++)
        {
            for (int t = 0; t < lines[n].Length; t++)
            {
                x[n * steps + t + 1] = vocabulary.Encode(lines[n][t]);
                y[n * steps + t] = vocabulary.Encode(lines[n][t]);
            }
            y[n * steps + lines[n].Length] = 0;
        }
        return new DataSplit(name, tensor(x).view(lines.Count, steps), tensor(y).view(lines.Count, steps));
    }

    static Dataset Lines(IReadOnlyList<string> train, IReadOnlyList<string> validation, IReadOnlyList<string> test)
    {
        var all = train.Concat(validation).Concat(test).ToList();
        var vocabulary = new Vocabulary(all.SelectMany(l => l));
        int steps = all.Max(l => l.Length) + 1;
        return new Dataset
        {
            Name = "provider lines", Source = "a user's provider", Format = DataFormat.TextLines, Task = TaskKind.Sequence, ClassNames = [],
            ExampleShape = [steps], Vocabulary = vocabulary,
            Train = Encode("train", train, vocabulary, steps), Validation = Encode("validation", validation, vocabulary, steps), Test = Encode("test", test, vocabulary, steps),
        };
    }

    /// <summary>Distinct short sentences from a small vocabulary (seeded), some capitalized as people write them.</summary>
    static List<string> Sentences(int count, int seed)
    {
        string[] words = ["the", "cat", "sat", "on", "a", "mat", "dog", "ran", "to", "red", "big", "old", "house", "tree", "under", "near", "blue", "car", "bird", "sang"];
        var random = new Random(seed);
        var lines = new HashSet<string>();
        while (lines.Count < count)
        {
            var line = string.Join(" ", Enumerable.Range(0, 3 + random.Next(4)).Select(_ => words[random.Next(words.Length)]));
            lines.Add(random.Next(4) == 0 ? char.ToUpperInvariant(line[0]) + line[1..] : line);
        }
        return [.. lines];
    }

    static (List<string> Train, List<string> Validation, List<string> Test) SentenceSplits()
    {
        // Drawn once and cut, so that no line is in two splits by construction.
        var all = Sentences(900, 4);
        return (all[..600], all[600..750], all[750..]);
    }

    [Fact]
    public void Given_validation_lines_appended_to_train_re_cased_or_re_spaced_When_checked_Then_it_fails_on_near_copies()
    {
        var (train, validation, test) = SentenceSplits();
        var altered = validation.Select((l, i) => i % 2 == 0 ? l.ToUpperInvariant() : "  " + l.Replace(" ", "  ") + " ");
        var leaky = Lines([.. train, .. altered], validation, test);

        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), Pipeline.Default(leaky, InputNormalizer.Identity()));

        Assert.Equal(0, result.Evidence["validation_in_train_copies"]);
        Assert.Equal(validation.Count, result.Evidence["validation_in_train_near_copies"]);
    }

    [Fact]
    public void Given_the_same_lines_without_the_leak_When_checked_Then_it_passes()
    {
        var (train, validation, test) = SentenceSplits();

        var result = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), Pipeline.Default(Lines(train, validation, test), InputNormalizer.Identity()));

        Assert.Equal(0, result.Evidence["validation_in_train_near_copies"]);
    }

    [Fact]
    public void Given_a_word_list_with_case_variants_of_its_own_in_every_split_When_checked_Then_the_control_explains_them_and_it_passes()
    {
        // Like /usr/share/dict/words: "Bill" and "bill" are distinct entries; split at random, some pairs straddle splits.
        var random = new Random(9);
        var stems = Enumerable.Range(0, 700).Select(i => new string(Enumerable.Range(0, 4 + random.Next(5)).Select(_ => (char)('a' + random.Next(26))).ToArray()))
            .Distinct().ToList();
        var words = stems.SelectMany((w, i) => i % 5 == 0 ? new[] { w, char.ToUpperInvariant(w[0]) + w[1..] } : [w]).OrderBy(_ => random.Next()).ToList();
        int validation = words.Count / 10, test = words.Count / 10;
        var data = Lines(words[(validation + test)..], words[..validation], words[validation..(validation + test)]);

        var result = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), Pipeline.Default(data, InputNormalizer.Identity()));

        Assert.True(result.Evidence["validation_in_train_near_copies"] > 0, "the case variants were meant to straddle splits");
        Assert.True(result.Evidence["near_control_with_copy"] > 0, "the control was meant to see case variants within train");
    }
}
