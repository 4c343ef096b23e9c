using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recipe.Reporting;

/// <summary>summary.json: everything in a report that a program would want, as plain JSON.</summary>
public static class Summary
{
    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(object summary) => JsonSerializer.Serialize(summary, Options);

    public static void Save(string path, object summary) => File.WriteAllText(path, Serialize(summary));

    /// <summary>Reads back what <see cref="Serialize"/> wrote (same names, same enum words).</summary>
    public static T Deserialize<T>(JsonNode node) =>
        node.Deserialize<T>(Options) ?? throw new JsonException($"expected {typeof(T).Name} at {node.GetPath()}, found null");

    public static JsonNode Load(string path) => JsonNode.Parse(File.ReadAllText(path))!;
}
