using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Tests.Checks;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Models;

/// <summary>Recipe's default pipeline on tiny data with a zoo model built by name and knobs (tiny widths: tests run in seconds).</summary>
public static class ZooPipelines
{
    public static Pipeline For(Dataset data, InputNormalizer normalizer, string model, int width, int depth, TrainingConfig? training = null) =>
        Pipeline.Default(data, normalizer, model, training ?? new TrainingConfig { BatchSize = 32, LearningRate = 3e-3 }) with
        {
            CreateModel = () => CheckTestData.WithPriorBias(ModelFactory.Create(model, data, width, depth), data),
            CreateLargerModel = null,
        };

    /// <summary>The word lines of <see cref="CheckTestData.Words"/> with a sequence model of the zoo.</summary>
    public static Pipeline Words(string model, int width, int depth) => For(CheckTestData.Words, InputNormalizer.Identity(), model, width, depth);
}
