using Recipe.Checks;
using Recipe.Checks.Stage2;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

public class SeedReproducibleTests
{
    [Fact]
    public void Given_a_pipeline_whose_randomness_comes_from_the_seed_When_checked_Then_the_two_runs_agree_and_it_passes()
    {
        CheckAssert.Verdict(Verdict.Pass, new SeedReproducible(), CheckTestData.FashionPipeline());
    }

    [Fact]
    public void Given_a_model_factory_that_draws_from_an_unseeded_generator_When_checked_Then_it_fails()
    {
        // Given weights jittered with System.Random.Shared, which no seed controls
        var correct = CheckTestData.FashionPipeline();
        var broken = correct with
        {
            CreateModel = () =>
            {
                var model = correct.CreateModel();
                using (no_grad())
                    foreach (var parameter in model.parameters())
                        parameter.add_(Random.Shared.NextSingle() * 0.01f);
                return model;
            },
        };

        // Then the two runs differ, and the evidence says the initial weights already did
        var result = CheckAssert.Verdict(Verdict.Fail, new SeedReproducible(), broken);
        Assert.True(result.Evidence["max_initial_weight_difference"] > 0);
    }

    [Fact]
    public void Given_an_augmentation_that_draws_from_an_unseeded_generator_When_checked_Then_it_fails()
    {
        // Given a flip of each image decided by System.Random.Shared (two runs agree only with probability 2^-(examples))
        var broken = CheckTestData.FashionPipeline() with
        {
            Augment = (inputs, targets) =>
            {
                var flip = tensor(Enumerable.Range(0, (int)inputs.shape[0]).Select(_ => Random.Shared.Next(2) == 0).ToArray());
                return (where(flip.reshape(-1, 1, 1, 1), inputs.flip(3), inputs), targets);
            },
        };
        var result = CheckAssert.Verdict(Verdict.Fail, new SeedReproducible(), broken);
        Assert.Equal(0, result.Evidence["max_initial_weight_difference"]);
    }
}
