using Recipe.Data;

namespace Recipe.Cli.Commands;

/// <summary>
/// Whether a --model suits the --data, decided from the data's format before anything is read: a CNN
/// needs images, charconv needs text lines, linear and mlp need fixed-size examples (images or rows).
/// Mirrors the guards of ModelFactory.Create (a test holds the two together), so a mismatch is one line
/// and exit 2 instead of every check failing on it after the data was loaded.
/// </summary>
public static class ModelDataFit
{
    /// <summary>The models for each format, in ModelFactory.Names order.</summary>
    public static IReadOnlyList<string> ModelsFor(DataFormat format) => format switch
    {
        DataFormat.Idx or DataFormat.ImageFolder => ["linear", "mlp", "cnn", "cnngap", "vgg", "resnet"],
        DataFormat.Csv => ["linear", "mlp", "embedmlp"],
        DataFormat.TextLines => ["charconv", "contextmlp", "gru", "transformer"],
        _ => [],
    };

    /// <summary>The format <paramref name="dataSpec"/> names, or null when it cannot be told (the loader then reports why).</summary>
    public static DataFormat? FormatOf(string dataSpec)
    {
        switch (dataSpec)
        {
            case "fashion-mnist" or "fashion-mnist-sample": return DataFormat.Idx;
            case "words": return DataFormat.TextLines;
        }
        try
        {
            return DataSpec.Detect(dataSpec);
        }
        catch (DataException)
        {
            return null;
        }
    }

    /// <summary>Why <paramref name="model"/> cannot train on <paramref name="dataSpec"/>, or null when it can (or the format is unknown yet).</summary>
    public static string? Problem(string model, string dataSpec)
    {
        if (FormatOf(dataSpec) is not { } format) return null;
        var fitting = ModelsFor(format);
        return fitting.Contains(model) ? null :
            $"--model {model} does not fit {dataSpec} ({Describe(format)}); models for it: {string.Join(", ", fitting)}";
    }

    static string Describe(DataFormat format) => format switch
    {
        DataFormat.Idx or DataFormat.ImageFolder => "images",
        DataFormat.Csv => "a table",
        DataFormat.TextLines => "text lines",
        _ => format.ToString(),
    };
}
