using Recipe.Data;
using Recipe.Training;
using static TorchSharp.torch;

namespace Recipe.Checks;

/// <summary>
/// A short training run of the pipeline inside a check. Anything left null is the pipeline's own part;
/// the run uses the pipeline's optimizer factory and steps its schedule once per step.
/// </summary>
/// <param name="Description">Shown on the progress bar.</param>
/// <param name="Steps">Optimizer steps.</param>
public sealed record RunSpec(string Description, int Steps)
{
    /// <summary>Another model factory (e.g. the larger model); null is <see cref="Pipeline.CreateModel"/>.</summary>
    public Func<nn.Module<Tensor, Tensor>>? CreateModel { get; init; }
    /// <summary>Another input transform (e.g. zeroed inputs); null is <see cref="Pipeline.Transform"/>.</summary>
    public Func<Tensor, Tensor>? Transform { get; init; }
    /// <summary>Apply the pipeline's augmentation (when it has one).</summary>
    public bool Augment { get; init; } = true;
    /// <summary>Train on these examples instead of the training split.</summary>
    public DataSplit? TrainSplit { get; init; }
    /// <summary>Another batch size; null is the pipeline's.</summary>
    public int? BatchSize { get; init; }
    /// <summary>Extra hooks (recorders) for the loop.</summary>
    public IReadOnlyList<ITrainingHook> Hooks { get; init; } = [];
}

/// <summary>A model after a short run, with the loop's record of it. The caller disposes the model.</summary>
public sealed record TrainedRun(nn.Module<Tensor, Tensor> Model, TrainingResult Training);
