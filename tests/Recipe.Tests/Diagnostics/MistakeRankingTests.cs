using Recipe.Diagnostics;
using Recipe.Training;

namespace Recipe.Tests.Diagnostics;

public class MistakeRankingTests
{
    /// <summary>A small MLP trained on clean blobs (the same every call: one seed).</summary>
    static (TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Model, Recipe.Checks.Pipeline Pipeline) Trained()
    {
        var pipeline = DiagnosticsTestData.TablePipeline(DiagnosticsTestData.Blobs(train: 400, validation: 200));
        var (model, _) = ShortTraining.Run(pipeline, pipeline.Data.Train, new ShortTrainingSpec(150, EarlyStopping: false), seed: 0);
        return (model, pipeline);
    }

    [Fact]
    public void Given_validation_labels_flipped_on_purpose_When_ranked_by_loss_Then_the_flipped_examples_lead_the_gallery()
    {
        var (model, pipeline) = Trained();
        var (noisy, flipped) = DiagnosticsTestData.FlipLabels(pipeline.Data, 0.05, split: "validation");

        var predictions = SplitPredictions.Measure(model, noisy.Validation, noisy.Task, pipeline.Transform);
        var top = MistakeRanking.HighestLoss(predictions, flipped.Count);

        Assert.True(top.Count(m => flipped.Contains(m.Index)) >= 0.8 * flipped.Count, $"{top.Count(m => flipped.Contains(m.Index))} of {flipped.Count} flipped in the top");
        Assert.All(top.Zip(top.Skip(1)), pair => Assert.True(pair.First.Loss >= pair.Second.Loss));
        var first = top[0];
        Assert.Equal(predictions.Labels![first.Index], first.Given);
        Assert.Equal(-Math.Log(first.GivenProbability!.Value), first.Loss, 3);
    }

    [Fact]
    public void Given_the_clean_validation_split_When_ranked_Then_its_worst_loss_is_far_below_the_flipped_twins()
    {
        var (model, pipeline) = Trained();
        var (noisy, _) = DiagnosticsTestData.FlipLabels(pipeline.Data, 0.05, split: "validation");

        var clean = MistakeRanking.HighestLoss(SplitPredictions.Measure(model, pipeline.Data.Validation, pipeline.Data.Task, pipeline.Transform), 10);
        var planted = MistakeRanking.HighestLoss(SplitPredictions.Measure(model, noisy.Validation, noisy.Task, pipeline.Transform), 10);

        Assert.True(clean.Average(m => m.Loss) < planted.Average(m => m.Loss) / 2, $"clean {clean.Average(m => m.Loss):F2}, planted {planted.Average(m => m.Loss):F2}");
    }
}
