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
/// its values are logits, not activations, so it is left out. A layer that runs more than once in one forward (weights
/// shared across positions or branches) is one entry over all its calls: a unit is dead only when it is never positive
/// in any of them.
/// </summary>
public static class ActivationStatistics
{
    public static IReadOnlyList<LayerActivations> Measure(nn.Module<Tensor, Tensor> model, Tensor modelInput, int samplePerLayer = 20000)
    {
        var named = model.named_modules().Where(m => m.module is Linear or Conv1d or Conv2d or Conv3d).ToList();
        var layers = new List<LayerTally>(); // in the order they first ran
        string? lastToRun = null;
        var hooks = named.Select(entry => ((nn.Module<Tensor, Tensor>)entry.module).register_forward_hook((module, input, output) =>
        {
            var tally = layers.Find(l => l.Name == entry.name);
            if (tally is null) layers.Add(tally = new LayerTally(entry.name, entry.module.GetType().Name));
            tally.Add(output, entry.module is Linear, samplePerLayer);
            lastToRun = entry.name;
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
        return layers.Where(l => l.Name != lastToRun).Select(l => l.Summary(samplePerLayer)).ToList();
    }

    /// <summary>One layer's outputs accumulated over its calls: which units were ever positive, sums for the mean and spread, a thinned sample.</summary>
    sealed class LayerTally(string name, string kind)
    {
        public string Name { get; } = name;
        bool[]? _everPositive;
        double _count, _sum, _sumOfSquares;
        readonly List<float> _sample = [];

        public void Add(Tensor output, bool unitsLast, int samplePerCall)
        {
            using var scope = NewDisposeScope();
            var values = output.detach().to_type(float64);
            // units along dim 1 ((B, F), (B, C, L), (B, C, H, W)); sequence models' linear layers give (B, T, F): units last
            var perUnit = unitsLast ? values.reshape(-1, values.shape[^1]).t() : values.transpose(0, 1).flatten(1);
            var positive = perUnit.gt(0).any(1).data<bool>().ToArray();
            _everPositive = _everPositive is null ? positive : _everPositive.Zip(positive, (a, b) => a || b).ToArray();
            var flat = values.flatten();
            _count += flat.shape[0];
            _sum += flat.sum().item<double>();
            _sumOfSquares += flat.square().sum().item<double>();
            long step = Math.Max(1, flat.shape[0] / samplePerCall);
            _sample.AddRange(flat.slice(0, 0, flat.shape[0], step).to_type(float32).data<float>());
        }

        public LayerActivations Summary(int samplePerLayer)
        {
            double mean = _sum / _count;
            double std = _count > 1 ? Math.Sqrt(Math.Max(0, (_sumOfSquares - _count * mean * mean) / (_count - 1))) : 0;
            int step = Math.Max(1, _sample.Count / samplePerLayer);
            var sample = _sample.Where((_, i) => i % step == 0).ToArray();
            long units = _everPositive!.Length;
            return new LayerActivations(Name, kind, units, _everPositive.Count(p => !p), mean, std, sample);
        }
    }
}
