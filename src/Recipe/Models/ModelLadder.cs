using Recipe.Data;

namespace Recipe.Models;

/// <summary>One rung of a capacity ladder: a zoo model by name and its size knobs.</summary>
/// <param name="Name">A name of <see cref="ModelFactory.Names"/>.</param>
/// <param name="Width">Hidden units, filters or channels; 0 for a model without a width (linear).</param>
/// <param name="Depth">Hidden layers or blocks; 1 where the model has a fixed depth.</param>
public sealed record ModelChoice(string Name, int Width, int Depth = 1)
{
    public override string ToString() => Width == 0 ? Name : Depth == 1 ? $"{Name} width {Width}" : $"{Name} width {Width} depth {Depth}";
}

/// <summary>
/// The zoo's capacity ladder for a kind of data, from the smallest proven model to the largest: stage 3 climbs it
/// one rung at a time while each rung lowers the training loss as predicted ("don't be a hero": proven shapes only).
/// Along a ladder the cost of a training step grows (bench `zoo` measures it): first wider, then the next architecture.
/// </summary>
public static class ModelLadder
{
    public static IReadOnlyList<ModelChoice> For(Dataset data) => data.Task switch
    {
        TaskKind.Sequence => Sequences,
        _ when data.ExampleShape.Length == 3 => Images,
        _ => CategoricalBlocks.Of(data).Count > 0 ? TablesWithCategories : Tables,
    };

    /// <summary>
    /// A fixed window (Bengio's MLP), then the dilated conv that sees the whole line, the GRU that reads it step by
    /// step, and the transformer that attends to all of it (the costliest per step).
    /// </summary>
    static readonly ModelChoice[] Sequences =
    [
        new("contextmlp", 128), new("charconv", 64), new("charconv", 128), new("gru", 128), new("gru", 256),
        new("transformer", 64, 2), new("transformer", 128, 4),
    ];

    /// <summary>The residual net last: one block per stage, then two (ResNet-18's count), at the small stem's full resolution.</summary>
    static readonly ModelChoice[] Images =
    [
        new("linear", 0), new("mlp", 256), new("cnn", 16), new("cnn", 32), new("cnn", 64), new("vgg", 16, 3), new("vgg", 32, 3),
        new("resnet", 16, 1), new("resnet", 16, 2),
    ];

    /// <summary>
    /// The architecture a rung belongs to, for stage 3's "wider, then the next architecture": the model's name, except
    /// that a deeper MLP counts as the next architecture. Tables have no convolution or recurrence to move on to, so
    /// depth is their only change of shape; for the others a deeper rung (resnet's second block, a taller transformer)
    /// is the same architecture grown.
    /// </summary>
    public static string Architecture(ModelChoice rung) =>
        rung.Name is "mlp" or "embedmlp" && rung.Depth > 1 ? $"{rung.Name} depth {rung.Depth}" : rung.Name;

    static readonly ModelChoice[] Tables =
    [
        new("linear", 0), new("mlp", 64), new("mlp", 128), new("mlp", 256), new("mlp", 256, 2), new("mlp", 512, 3),
    ];

    /// <summary>With categorical columns the one-hot MLP's first step is followed by the embedding MLP, grown the same way.</summary>
    static readonly ModelChoice[] TablesWithCategories =
    [
        new("linear", 0), new("mlp", 64), new("embedmlp", 64), new("embedmlp", 128), new("embedmlp", 256), new("embedmlp", 256, 2), new("embedmlp", 512, 3),
    ];
}
