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
/// </summary>
public static class ModelLadder
{
    public static IReadOnlyList<ModelChoice> For(Dataset data) => data.Task switch
    {
        TaskKind.Sequence => [new("charconv", 32), new("charconv", 64), new("charconv", 128), new("charconv", 256)],
        _ when data.ExampleShape.Length == 3 => [new("linear", 0), new("mlp", 256), new("cnn", 16), new("cnn", 32), new("cnn", 64)],
        _ => [new("linear", 0), new("mlp", 64), new("mlp", 128), new("mlp", 256), new("mlp", 512)],
    };
}
