using static TorchSharp.torch;

namespace Recipe.Data;

/// <summary>
/// Standardization of regression targets, fitted on the training split only: the net learns (y − mean) / std,
/// so its loss, gradients and learning rate do not depend on the units of the target (a target in the hundreds
/// would otherwise give gradients thousands of times larger than Adam's 3e-4 expects to move). Predictions go
/// back to the original units with <see cref="ToOriginal(double)"/> before anything is reported to a person.
/// </summary>
public sealed record TargetScale(double Mean, double Std)
{
    /// <summary>The training targets' mean and standard deviation (a constant target keeps std 1: nothing to scale).</summary>
    public static TargetScale FitTo(DataSplit train)
    {
        using var scope = NewDisposeScope();
        var y = train.Targets.to_type(float64);
        double mean = y.mean().item<double>();
        double std = y.numel() > 1 ? y.std().item<double>() : 0;
        return new TargetScale(mean, std > 0 && double.IsFinite(std) ? std : 1);
    }

    /// <summary>A prediction in standardized units, back in the target's own units.</summary>
    public double ToOriginal(double standardized) => standardized * Std + Mean;

    /// <summary>Standardized predictions (any shape), back in the target's own units.</summary>
    public Tensor ToOriginal(Tensor standardized) => standardized.to_type(float64).mul(Std).add(Mean);

    /// <summary>
    /// The same dataset with every split's targets standardized. Inputs are shared, not copied (new handles on the
    /// same storage), so disposing the result frees only the scaled targets' handles.
    /// </summary>
    public Dataset Standardize(Dataset data)
    {
        if (data.Task != TaskKind.Regression)
            throw new ArgumentException($"only regression targets are standardized; '{data.Name}' is a {data.Task} task");
        DataSplit Scaled(DataSplit split) => new(split.Name, split.Inputs.detach(),
            split.Targets.to_type(float64).sub(Mean).div(Std).to_type(float32), split.Origins, split.SourceIndices);
        return new Dataset
        {
            Name = data.Name, Source = data.Source, Format = data.Format, Task = data.Task, ClassNames = data.ClassNames,
            ExampleShape = data.ExampleShape, Train = Scaled(data.Train), Validation = Scaled(data.Validation), Test = Scaled(data.Test),
            Table = data.Table, Vocabulary = data.Vocabulary,
            Notes = [.. data.Notes, $"Targets standardized for training with the training split's mean {Mean:G5} and std {Std:G5}; metrics are reported in the original units."],
        };
    }
}
