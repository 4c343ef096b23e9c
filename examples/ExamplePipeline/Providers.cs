using Recipe.Checks;
using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ExamplePipeline;

/// <summary>The correct pipeline: own model, own normalization, cross-entropy, Adam 3e-4.</summary>
public sealed class RowMlpPipeline : IPipelineProvider
{
    public Pipeline Create(PipelineRequest request) => Build(request.Data, mixBatch: false);

    /// <summary>Both providers share everything but the reorder inside the model.</summary>
    internal static Pipeline Build(Dataset data, bool mixBatch)
    {
        if (data.ExampleShape.Length != 3 || data.ExampleShape[0] != 1)
            throw new ArgumentException("the example pipeline expects grayscale images, e.g. --data fashion-mnist");
        long h = data.ExampleShape[1], w = data.ExampleShape[2];

        // The user's own normalization: one mean and std over all training pixels.
        float mean, std;
        using (var pixels = data.Train.Inputs.to_type(float32).div(255f))
        {
            mean = pixels.mean().item<float>();
            std = pixels.std().item<float>();
        }

        return new Pipeline
        {
            Data = data,
            CreateModel = () => new RowMlp(h, w, data.ClassCount, mixBatch),
            CreateLargerModel = () => new RowMlp(h, w, data.ClassCount, mixBatch, rowFeatures: 32),
            Loss = (output, targets) => nn.functional.cross_entropy(output, targets),
            Transform = stored => stored.to_type(float32).div(255f).sub(mean).div(std),
            InverseTransform = input => input.mul(std).add(mean),
            CreateOptimizer = (parameters, _) => new OptimizerSetup(optim.Adam(parameters, 3e-4)),
            Training = new TrainingConfig { Epochs = 2, BatchSize = 128 },
            Description = mixBatch ? "RowMlp with view instead of permute (example of a bug)" : "RowMlp (example user pipeline)",
        };
    }
}

/// <summary>The same pipeline with the view-instead-of-permute bug: batch-independence must fail.</summary>
public sealed class ViewBugPipeline : IPipelineProvider
{
    public Pipeline Create(PipelineRequest request) => RowMlpPipeline.Build(request.Data, mixBatch: true);
}
