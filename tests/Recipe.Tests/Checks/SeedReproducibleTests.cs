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

    static CheckOptions InFreshProcess<TProvider>() where TProvider : IPipelineProvider => CheckOptions.Quick with
    {
        FreshProcess = FreshProcess.DotnetAssembly(typeof(Program).Assembly.Location, [SubsampleProvider.ProbeName, typeof(TProvider).Name]),
    };

    [Fact]
    public void Given_a_provider_that_subsamples_with_the_requests_seed_When_checked_with_a_fresh_process_Then_the_processes_agree_and_it_passes()
    {
        var pipeline = new SeededSubsampleProvider().Create(new PipelineRequest(CheckTestData.FashionMnist, 0));
        var result = CheckAssert.Verdict(Verdict.Pass, new SeedReproducible(), pipeline, InFreshProcess<SeededSubsampleProvider>());
        Assert.Equal(0, result.Evidence["fresh_process_data_differs"]);
        Assert.Equal(0, result.Evidence["fresh_process_max_loss_difference"]);
        Assert.Equal(0, result.Evidence["fresh_process_max_weight_difference"]);
    }

    [Fact]
    public void Given_a_provider_that_subsamples_with_an_unseeded_random_When_checked_with_a_fresh_process_Then_it_fails()
    {
        var pipeline = new UnseededSubsampleProvider().Create(new PipelineRequest(CheckTestData.FashionMnist, 0));

        // In one process both runs share the subsample, so they agree: the blind spot the fresh process removes
        CheckAssert.Verdict(Verdict.Pass, new SeedReproducible(), pipeline);

        var result = CheckAssert.Verdict(Verdict.Fail, new SeedReproducible(), pipeline, InFreshProcess<UnseededSubsampleProvider>());
        Assert.Equal(1, result.Evidence["fresh_process_data_differs"]);
        Assert.True(result.Evidence["fresh_process_max_loss_difference"] > 1e-3, $"loss difference {result.Evidence["fresh_process_max_loss_difference"]}");
    }

    [Fact]
    public void Given_an_in_memory_pipeline_When_checked_Then_the_evidence_says_no_fresh_process_was_made()
    {
        var result = CheckAssert.Verdict(Verdict.Pass, new SeedReproducible(), CheckTestData.FashionPipeline(), CheckOptions.Quick with { FreshProcess = null });
        Assert.Contains(result.Evidence.Notes, n => n.Contains("cannot be rebuilt in another process"));
    }
}

/// <summary>
/// A user's provider that trains on 300 of the training examples; which 300 is drawn by <see cref="Pick"/>. The test host's
/// Main rebuilds it in a fresh process (<see cref="ProbeName"/>), as `recipe check --pipeline` does with the user's .dll.
/// </summary>
public abstract class SubsampleProvider : IPipelineProvider
{
    public const string ProbeName = "seed-fingerprint";

    protected abstract Random Pick(PipelineRequest request);

    public Pipeline Create(PipelineRequest request)
    {
        var random = Pick(request);
        var indices = Enumerable.Range(0, request.Data.Train.Count).OrderBy(_ => random.Next()).Take(300).Select(i => (long)i).ToArray();
        var data = new Recipe.Data.Dataset
        {
            Name = "subsample", Source = request.Data.Source, Format = request.Data.Format, Task = request.Data.Task,
            ClassNames = request.Data.ClassNames, ExampleShape = request.Data.ExampleShape,
            Train = request.Data.Train.Subset("train", indices),
            Validation = CheckContext.First(request.Data.Validation, 100, "validation"),
            Test = CheckContext.First(request.Data.Test, 10, "test"),
        };
        return CheckTestData.FashionPipeline() with { Data = data };
    }

    /// <summary>The fresh process's side: rebuilds the named provider's pipeline on the same data and writes its fingerprint.</summary>
    public static int WriteFingerprint(string providerName)
    {
        var type = typeof(SubsampleProvider).Assembly.GetTypes().Single(t => t.Name == providerName);
        var provider = (IPipelineProvider)Activator.CreateInstance(type)!;
        SeedFingerprint.WriteRequested(provider.Create(new PipelineRequest(CheckTestData.FashionMnist, 0)), CheckOptions.Quick);
        return 0;
    }
}

public sealed class SeededSubsampleProvider : SubsampleProvider
{
    protected override Random Pick(PipelineRequest request) => new((int)request.Seed);
}

public sealed class UnseededSubsampleProvider : SubsampleProvider
{
    protected override Random Pick(PipelineRequest request) => new();
}
