using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Bench;

/// <summary>
/// The data every speed benchmark reads: Debian's full Fashion-MNIST, with the whole 60,000-image
/// training file as the training split (Recipe's carved validation put back). Validation is the first
/// 1,000 test images: the trainer evaluates it after its last step, outside the timed steps, and a
/// small split keeps that wait short.
/// </summary>
public static class BenchData
{
    public static Dataset LoadFashionMnist()
    {
        if (!Directory.Exists(DataSpec.SystemFashionMnist))
            throw new InvalidOperationException(
                $"the benchmarks need the full Fashion-MNIST in {DataSpec.SystemFashionMnist} (apt-get install dataset-fashion-mnist, or tools/install-test-data)");
        using var recipeData = DataSpec.Load("fashion-mnist");
        var train = new DataSplit("train",
            torch.cat([recipeData.Train.Inputs, recipeData.Validation.Inputs], 0),
            torch.cat([recipeData.Train.Targets, recipeData.Validation.Targets], 0));
        long[] firstThousand = Enumerable.Range(0, 1000).Select(i => (long)i).ToArray();
        return new Dataset
        {
            Name = "fashion-mnist (60k train)",
            Source = recipeData.Source,
            Format = recipeData.Format,
            Task = recipeData.Task,
            ClassNames = recipeData.ClassNames,
            ExampleShape = recipeData.ExampleShape,
            Train = train,
            Validation = recipeData.Test.Subset("validation", firstThousand),
            Test = recipeData.Test.Subset("test", Enumerable.Range(0, recipeData.Test.Count).Select(i => (long)i).ToArray()),
        };
    }
}
