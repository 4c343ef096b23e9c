using Recipe.Checks;
using Recipe.Training;
using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Checks;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Models;

/// <summary>Recipe's default pipeline on tiny data with a zoo model built by name and knobs (tiny widths: tests run in seconds).</summary>
public static class ZooPipelines
{
    /// <param name="learningRate">Adam's rate: 3e-3 learns within the quick budgets; overfit tests take 1e-2 to memorize their batch in fewer steps.</param>
    /// <param name="dropout">The dropout knob's value for the zoo model (0: none).</param>
    public static Pipeline For(Dataset data, InputNormalizer normalizer, string model, int width, int depth, double learningRate = 3e-3, double dropout = 0) =>
        Pipeline.Default(data, normalizer, model, new TrainingConfig { BatchSize = 32, LearningRate = learningRate }) with
        {
            CreateModel = () => CheckTestData.WithPriorBias(ModelFactory.Create(model, data, width, depth, dropout), data),
            CreateLargerModel = null,
        };

    /// <summary>The word lines of <see cref="CheckTestData.Words"/> with a sequence model of the zoo.</summary>
    public static Pipeline Words(string model, int width, int depth, double learningRate = 3e-3, double dropout = 0) =>
        For(CheckTestData.Words, InputNormalizer.Identity(), model, width, depth, learningRate, dropout);

    /// <summary>The learning rate of the overfit-one-batch tests: a few examples, memorized fast.</summary>
    public const double OverfitLearningRate = 1e-2;
}
