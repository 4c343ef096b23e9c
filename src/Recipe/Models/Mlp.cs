using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>A multilayer perceptron on flattened inputs; with no hidden layers it is a linear model.</summary>
public sealed class Mlp : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Sequential _hidden;
    readonly Linear _output;

    public Mlp(long inputSize, IReadOnlyList<int> hiddenSizes, long outputs) : base(nameof(Mlp))
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        long width = inputSize;
        for (int i = 0; i < hiddenSizes.Count; i++)
        {
            layers.Add(($"linear{i}", Linear(width, hiddenSizes[i])));
            layers.Add(($"relu{i}", ReLU()));
            width = hiddenSizes[i];
        }
        _hidden = Sequential(layers);
        _output = Linear(width, outputs);
        RegisterComponents();
    }

    public Linear Output => _output;

    public override Tensor forward(Tensor x) // (B, ...) -> (B, outputs)
    {
        using var flat = x.flatten(1);
        using var features = _hidden.call(flat);
        return _output.call(features);
    }
}
