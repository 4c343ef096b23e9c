using Recipe.Checks;
using Recipe.Checks.Stage2;
using Recipe.Data;
using Recipe.Inspect;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// Stage 1's image fingerprints handed to split-integrity in `recipe run`: taken only for the very images they were
/// computed from (a one-pixel difference computes anew), and the check's verdict and counts are the ones it gets alone.
/// </summary>
public class FingerprintHandOffTests
{
    static DataSplit[] Splits(Dataset data) => [.. data.Splits];

    static FingerprintHandOff KeptByStageOne(Dataset data)
    {
        var handOff = new FingerprintHandOff();
        ImageAudit.Run(data, new InspectOptions { FingerprintHandOff = handOff });
        return handOff;
    }

    [Fact]
    public void Given_stage_one_audited_the_same_images_When_stage_two_asks_Then_it_takes_their_fingerprints_once()
    {
        var data = CheckTestData.FashionMnist;
        using var handOff = KeptByStageOne(data);

        using var taken = handOff.Take(Splits(data), new NearDuplicateOptions());

        Assert.NotNull(taken);
        Assert.Equal(data.Train.Count + data.Validation.Count + data.Test.Count, taken!.Count);
        Assert.False(handOff.Holding);
        Assert.Null(handOff.Take(Splits(data), new NearDuplicateOptions()));
    }

    [Fact]
    public void Given_stage_two_splits_differ_by_one_pixel_When_it_asks_Then_it_gets_nothing()
    {
        var data = CheckTestData.FashionMnist;
        using var handOff = KeptByStageOne(data);
        var altered = data.Test.Inputs.clone();
        altered[0, 0, 0, 0] = tensor((byte)(altered[0, 0, 0, 0].item<byte>() ^ 1));
        var splits = new[] { data.Train, data.Validation, new DataSplit("test", altered, data.Test.Targets) };

        Assert.Null(handOff.Take(splits, new NearDuplicateOptions()));
        Assert.Null(handOff.Take(Splits(data), new NearDuplicateOptions { BlurSigma = 1 }));   // other settings: other fingerprints
        Assert.True(handOff.Holding);
    }

    [Fact]
    public void Given_stage_one_fingerprints_When_split_integrity_runs_with_them_Then_it_finds_what_it_finds_alone()
    {
        var pipeline = CheckTestData.FashionPipeline();
        using var handOff = KeptByStageOne(pipeline.Data);

        var alone = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), pipeline);
        var handed = CheckAssert.Verdict(Verdict.Pass, new SplitIntegrity(), pipeline, new CheckOptions { StageOneFingerprints = handOff });

        Assert.Equal(0, alone.Evidence["near_fingerprints_from_stage_1"]);
        Assert.Equal(1, handed.Evidence["near_fingerprints_from_stage_1"]);
        foreach (var name in new[] { "near_control_with_copy", "near_control_held_out", "validation_in_train_near_copies", "test_in_train_near_copies", "test_in_validation_near_copies" })
            Assert.Equal(alone.Evidence[name], handed.Evidence[name]);
    }

    [Fact]
    public void Given_altered_validation_copies_in_train_and_stage_one_fingerprints_of_them_When_checked_Then_it_still_fails()
    {
        var clean = CheckTestData.FashionMnist;
        var leaky = new Dataset
        {
            Name = clean.Name, Source = "a user's provider", Format = clean.Format, Task = clean.Task, ClassNames = clean.ClassNames,
            ExampleShape = clean.ExampleShape, Validation = clean.Validation, Test = clean.Test,
            Train = new DataSplit("train", cat([clean.Train.Inputs, SplitIntegrityNearCopiesTests.Altered(clean.Validation.Inputs)], 0),
                cat([clean.Train.Targets, clean.Validation.Targets], 0)),
        };
        using var handOff = KeptByStageOne(leaky);

        var result = CheckAssert.Verdict(Verdict.Fail, new SplitIntegrity(), Pipeline.Default(leaky, CheckTestData.FashionNormalizer),
            new CheckOptions { StageOneFingerprints = handOff });

        Assert.Equal(1, result.Evidence["near_fingerprints_from_stage_1"]);
        Assert.True(result.Evidence["validation_in_train_near_copies"] >= 0.9 * clean.Validation.Count);
    }
}
