using Recipe.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Diagnostics;

/// <summary>
/// One layer's outputs over a probe batch: a sample of the values (for a histogram), their mean and spread, and the
/// share of units (channels for convolutions, features for linear layers) that are never positive on any probe
/// example — behind a ReLU such a unit outputs 0 for everything and learns nothing: a dead unit.
/// </summary>
public sealed record LayerActivations(string Layer, string Kind, long Units, long DeadUnits, double Mean, double Std, float[] Sample)
{
    public double DeadFraction => Units == 0 ? 0 : DeadUnits / (double)Units;
}

/// <summary>
/// Walks the model's computing layers (linear and convolution modules, which every model has, whether its ReLUs are
/// modules or functions) with forward hooks over a probe batch. The last computing layer to run is the output layer:
/// its values are logits, not activations, so it is left out.
/// </summary>
public static class ActivationStatistics
{
    public static IReadOnlyList<LayerActivations> Measure(nn.Module<Tensor, Tensor> model, Tensor modelInput, int samplePerLayer = 20000)
    {
        var named = model.named_modules().Where(m => m.module is Linear or Conv1d or Conv2d or Conv3d).ToList();
        var seen = new List<LayerActivations>();
        var hooks = named.Select(entry => ((nn.Module<Tensor, Tensor>)entry.module).register_forward_hook((module, input, output) =>
        {
            using var scope = NewDisposeScope();
            var values = output.detach().to_type(float32);
            // units along dim 1 ((B, F), (B, C, L), (B, C, H, W)); sequence models' linear layers give (B, T, F): units last
            var perUnit = entry.module is Linear ? values.reshape(-1, values.shape[^1]).t() : values.transpose(0, 1).flatten(1);
            long units = perUnit.shape[0];
            long dead = perUnit.gt(0).any(1).logical_not().sum().item<long>();
            var flat = values.flatten();
            long step = Math.Max(1, flat.shape[0] / samplePerLayer);
            var sample = flat.slice(0, 0, flat.shape[0], step).data<float>().ToArray();
            seen.Add(new LayerActivations(entry.name, entry.module.GetType().Name, units, dead, flat.mean().item<float>(), flat.numel() > 1 ? flat.std().item<float>() : 0, sample));
            return output;
        })).ToList();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var _ = EvalMode.Of(model);
            model.call(modelInput);
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
        }
        return seen.Count > 0 ? seen.Take(seen.Count - 1).ToList() : seen;
    }
}
