using Recipe.Checks;
using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Bench.Corpus.Pipelines;

/// <summary>Small helpers the corpus's pipelines share; everything a pipeline does differently it writes itself.</summary>
public static class Kit
{
    public static LossFunction CrossEntropy => (output, targets) => nn.functional.cross_entropy(output, targets);

    /// <summary>Per-token cross-entropy of a sequence model that skips the padding (targets -1), as the data marks it.</summary>
    public static LossFunction SequenceCrossEntropy => (output, targets) =>
        nn.functional.cross_entropy(output.reshape(-1, output.shape[^1]), targets.reshape(-1), ignore_index: -1);

    /// <summary>MSE of a (B, 1) output against (B) targets, squeezed first as a careful user does.</summary>
    public static LossFunction SquaredError => (output, targets) => nn.functional.mse_loss(output.squeeze(1), targets);

    public static OptimizerFactory Adam(double lr) => (parameters, _) => new OptimizerSetup(optim.Adam(parameters, lr));

    /// <summary>Mean and standard deviation of all stored training values, after scaling by <paramref name="scale"/>.</summary>
    public static (float Mean, float Std) Moments(Dataset data, float scale = 1f)
    {
        using var values = data.Train.Inputs.to_type(float32).div(scale);
        return (values.mean().item<float>(), values.std().item<float>());
    }

    /// <summary>Per-channel mean and std of stored (N, C, ...) training inputs, after scaling.</summary>
    public static (float[] Mean, float[] Std) ChannelMoments(Dataset data, float scale = 1f)
    {
        using var values = data.Train.Inputs.to_type(float32).div(scale).transpose(0, 1).flatten(1);
        using var mean = values.mean([1]);
        using var std = values.std(1);
        return (mean.data<float>().ToArray(), std.data<float>().ToArray());
    }

    /// <summary>Mean of the training targets (a regression user's starting point for the output bias).</summary>
    public static float TargetMean(Dataset data)
    {
        using var mean = data.Train.Targets.to_type(float32).mean();
        return mean.item<float>();
    }

    /// <summary>Sets the bias of a model's last Linear layer to <paramref name="value"/> (regression: start at the target mean).</summary>
    public static T WithOutputBias<T>(T model, float value) where T : nn.Module
    {
        var bias = model.named_parameters().Last(p => p.name.EndsWith("bias")).parameter;
        using (no_grad()) bias.fill_(value);
        return model;
    }
}
