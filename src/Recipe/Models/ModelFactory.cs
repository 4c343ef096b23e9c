using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Models;

/// <summary>The models Recipe starts with, by name. "Don't be a hero": simple, proven shapes only.</summary>
public static class ModelFactory
{
    /// <summary>Names accepted by <see cref="Create(string, Dataset, int?, int?, double, int)"/>: tables, images, then sequences, each small to large.</summary>
    public static readonly string[] Names = ["linear", "mlp", "embedmlp", "cnn", "cnngap", "vgg", "resnet", "charconv", "contextmlp", "gru", "transformer"];

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
        "mlp" or "embedmlp" or "contextmlp" or "gru" => 128,
        "cnn" or "cnngap" or "vgg" or "resnet" => 16,
        "charconv" or "transformer" => 64,
        _ => 0,
    };

    /// <summary>The default of the depth knob: hidden layers (MLPs), stages (vgg), blocks per stage (resnet), GRU layers, transformer blocks; 1 where fixed.</summary>
    public static int DefaultDepth(string name) => name switch
    {
        "vgg" => 3,
        "resnet" => 2,
        "transformer" => 2,
        _ => 1,
    };

    /// <summary>Whether <paramref name="name"/> reads a depth knob (the others have a fixed depth and refuse another).</summary>
    public static bool HasDepth(string name) => name is "mlp" or "embedmlp" or "vgg" or "resnet" or "contextmlp" or "gru" or "transformer";

    /// <summary>
    /// Whether <paramref name="name"/> has batch norm layers. Dropout before a batch norm shifts the variance its
    /// running statistics see between training and eval mode (Li et al. 2019), so dropout in such a model deserves a warning.
    /// </summary>
    public static bool UsesBatchNorm(string name) => name is "vgg" or "resnet";

    /// <summary>
    /// The smallest side of an image (after any downsampling) that <paramref name="name"/> can take: the small CNN's two
    /// 2×2 max-pools leave its hidden layer no pixel below <see cref="SmallCnn.SmallestSide"/>; vgg pools only while it
    /// can, resnet's padded strided convolutions and the MLPs take any size.
    /// </summary>
    public static long SmallestImageSide(string name) => name is "cnn" or "cnngap" ? SmallCnn.SmallestSide : 1;

    /// <summary>
    /// The same model reading each channel's mean over the image instead of a large fully-connected layer (stage 4's
    /// smaller model), or null when it has no such layer to replace (vgg and resnet already pool).
    /// </summary>
    public static string? GlobalPoolingVariant(string name) => name == "cnn" ? "cnngap" : null;

    /// <summary>The model of a ladder rung (<see cref="ModelLadder"/>), with <paramref name="dropout"/> where the model puts it.</summary>
    public static nn.Module<Tensor, Tensor> Create(ModelChoice choice, Dataset data, double dropout = 0, int downsample = 1) =>
        Create(choice.Name, data, choice.Width == 0 ? null : choice.Width, choice.Depth, dropout, downsample);

    /// <param name="width">Capacity knob: hidden units (mlp, embedmlp, contextmlp, gru), filters of the first layer (cnn, vgg, resnet),
    /// hidden channels (charconv), model dimension (transformer).</param>
    /// <param name="depth">Depth knob (see <see cref="DefaultDepth"/>); null takes the default.</param>
    /// <param name="dropout">Dropout probability in [0, 1): between hidden layers and before the output layer of MLPs, dropout2d between
    /// conv blocks or stages of cnn/vgg/resnet, embedding and residual dropout in sequence models (each model's summary says where).</param>
    /// <param name="downsample">Images only: the model takes the images averaged over f×f blocks (<see cref="InputDownsampling"/>), so it is built for (C, H/f, W/f).</param>
    public static nn.Module<Tensor, Tensor> Create(string name, Dataset data, int? width = null, int? depth = null, double dropout = 0, int downsample = 1)
    {
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentException($"dropout must be a probability in [0, 1), found {dropout}");
        if (depth is { } d && (d < 1 || (!HasDepth(name) && d != 1)))
            throw new ArgumentException($"model '{name}' {(HasDepth(name) ? "needs a depth of at least 1" : "has a fixed depth (1)")}, found depth {d}");
        bool images = data.ExampleShape.Length == 3, sequences = data.Task == TaskKind.Sequence;
        bool rows = data.ExampleShape.Length == 1 && !sequences;
        if (downsample < 1 || (downsample > 1 && (!images || sequences)))
            throw new ArgumentException($"only images can be downsampled, by a factor of at least 1; found {downsample} for {data.Task} data of shape ({string.Join(", ", data.ExampleShape)})");
        var shape = images ? InputDownsampling.ShapeOf(data.ExampleShape, downsample) : data.ExampleShape;
        long outputs = OutputsFor(data);
        long inputSize = shape.Aggregate(1L, (a, b) => a * b);
        int w = width ?? DefaultWidth(name), layers = depth ?? DefaultDepth(name);
        return name switch
        {
            "linear" when !sequences => new Mlp(inputSize, [], outputs, dropout),
            "mlp" when !sequences => new Mlp(inputSize, [.. Enumerable.Repeat(w, layers)], outputs, dropout),
            "embedmlp" when rows => new EmbeddingMlp(inputSize, CategoricalBlocks.Of(data), outputs, w, layers, dropout),
            "cnn" when images => new SmallCnn(shape[0], shape[1], shape[2], outputs, w, dropout),
            "cnngap" when images => new SmallCnn(shape[0], shape[1], shape[2], outputs, w, dropout, globalPool: true),
            "vgg" when images => new VggBn(shape[0], shape[1], shape[2], outputs, w, layers, dropout),
            "resnet" when images => ResNet.ForImages(shape[0], shape[1], shape[2], outputs, w, layers, dropout),
            "charconv" when sequences => new CausalCharConv(outputs, hidden: w, context: CausalCharConv.ContextFor(data.ExampleShape[0]), dropout: dropout),
            "contextmlp" when sequences => new ContextMlp(outputs, width: w, depth: layers, dropout: dropout),
            "gru" when sequences => new CharGru(outputs, width: w, depth: layers, dropout: dropout),
            "transformer" when sequences => new CausalTransformer(outputs, data.ExampleShape[0], w, layers, dropout),
            _ => throw new ArgumentException($"model '{name}' does not fit {data.Task} data of shape ({string.Join(", ", data.ExampleShape)}); " +
                                             $"models: {string.Join(", ", Names)}"),
        };
    }
}
