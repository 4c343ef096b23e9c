using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Models;

/// <summary>The models Recipe starts with, by name. "Don't be a hero": simple, proven shapes only.</summary>
public static class ModelFactory
{
    /// <summary>Names accepted by <see cref="Create(string, Dataset, int?)"/>.</summary>
    public static readonly string[] Names = ["linear", "mlp", "cnn", "charconv", "resnet"];

    /// <summary>The default model for the data: a small CNN for images, an MLP for tables, a causal conv for text.</summary>
    public static string DefaultFor(Dataset data) => data.Task switch
    {
        TaskKind.Sequence => "charconv",
        _ when data.ExampleShape.Length == 3 => "cnn",
        _ => "mlp",
    };

    /// <summary>Number of model outputs: classes, 1 for regression, vocabulary size for sequences.</summary>
    public static long OutputsFor(Dataset data) => data.Task switch
    {
        TaskKind.Classification => data.ClassCount,
        TaskKind.Regression => 1,
        TaskKind.Sequence => data.Vocabulary!.Size,
        _ => throw new ArgumentOutOfRangeException(nameof(data)),
    };

    /// <summary>The default of the capacity knob (hidden units, filters, channels); 0 for the linear model, which has none.</summary>
    public static int DefaultWidth(string name) => name switch
    {
        "mlp" => 128,
        "cnn" => 16,
        "charconv" => 64,
        "resnet" => 16,
        _ => 0,
    };

    /// <summary>The model of a ladder rung (<see cref="ModelLadder"/>).</summary>
    public static nn.Module<Tensor, Tensor> Create(ModelChoice choice, Dataset data) =>
        Create(choice.Name, data, choice.Width == 0 ? null : choice.Width);

    /// <param name="width">Capacity knob: hidden units (mlp), filters (cnn), hidden channels (charconv), first stage's channels (resnet).</param>
    public static nn.Module<Tensor, Tensor> Create(string name, Dataset data, int? width = null)
    {
        long outputs = OutputsFor(data);
        long inputSize = data.ExampleShape.Aggregate(1L, (a, b) => a * b);
        return name switch
        {
            "linear" when data.Task != TaskKind.Sequence => new Mlp(inputSize, [], outputs),
            "mlp" when data.Task != TaskKind.Sequence => new Mlp(inputSize, [width ?? DefaultWidth(name)], outputs),
            "cnn" when data.ExampleShape.Length == 3 =>
                new SmallCnn(data.ExampleShape[0], data.ExampleShape[1], data.ExampleShape[2], outputs, width ?? DefaultWidth(name)),
            "resnet" when data.ExampleShape.Length == 3 =>
                ResNet.ForImages(data.ExampleShape[0], data.ExampleShape[1], data.ExampleShape[2], outputs, width ?? DefaultWidth(name)),
            "charconv" when data.Task == TaskKind.Sequence => new CausalCharConv(outputs, hidden: width ?? DefaultWidth(name), context: CausalCharConv.ContextFor(data.ExampleShape[0])),
            _ => throw new ArgumentException($"model '{name}' does not fit {data.Task} data of shape ({string.Join(", ", data.ExampleShape)}); " +
                                             $"models: {string.Join(", ", Names)}"),
        };
    }
}
