using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A multilayer perceptron on flattened inputs; with no hidden layers it is a linear model. With <c>dropout</c> &gt; 0 each
/// hidden layer's output is dropped out (so dropout sits between hidden layers and before the output layer); a linear
/// model drops out its inputs instead, the one place it has before its only layer.
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>, IHasOutputLayer
{
    readonly Sequential _hidden;
    readonly Linear _output;

    /// <param name="dropout">Probability of zeroing a hidden unit (an input, for the linear model) in training mode; 0 adds no layer.</param>
    public Mlp(long inputSize, IReadOnlyList<int> hiddenSizes, long outputs, double dropout = 0) : base(nameof(Mlp))
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        if (hiddenSizes.Count == 0 && dropout > 0) layers.Add(("dropout_input", Dropout(dropout)));
        long width = inputSize;
        for (int i = 0; i < hiddenSizes.Count; i++)
        {
            layers.Add(($"linear{i}", Linear(width, hiddenSizes[i])));
            layers.Add(($"relu{i}", ReLU()));
            if (dropout > 0) layers.Add(($"dropout{i}", Dropout(dropout)));
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
