using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>Recall and precision of near-duplicate search on copies planted into real Fashion-MNIST.</summary>
/// <param name="Planted">Copies planted (each with one source image).</param>
/// <param name="Found">Planted (source, copy) pairs reported.</param>
/// <param name="Reported">Reported pairs that involve a planted copy.</param>
/// <param name="Correct">Of those, pairs joining a copy to its source, or to an image the search already pairs with the source in the clean data.</param>
public sealed record NearDuplicateScore(int Planted, int Found, int Reported, int Correct, IReadOnlyDictionary<string, (int Planted, int Found)> ByChange, NearDuplicateSearch Search)
{
    public double Recall => Found / (double)Planted;
    public double Precision => Reported == 0 ? 1 : Correct / (double)Reported;

    public string Describe() =>
        $"near duplicates planted into the embedded Fashion-MNIST sample: {Planted} copies; recall {Recall:P1} ({Found}/{Planted}), " +
        $"precision {Precision:P1} ({Correct}/{Reported} reported pairs involving a copy)\n" +
        $"  by change: {string.Join(", ", ByChange.Select(p => $"{p.Key} {p.Value.Found}/{p.Value.Planted}"))}\n" +
        $"  threshold {Search.Options.Threshold} (verified RMS), descriptor threshold {Search.Options.DescriptorThreshold}; " +
        $"{Search.Indexed} images indexed, {Search.Compared / 1e6:F1}M descriptor comparisons, {Search.Candidates} candidates verified, {Search.Elapsed.TotalSeconds:F2} s";
}

public static class PlantedNearDuplicates
{
    /// <summary>
    /// Plants <paramref name="copies"/> near copies (noise, 1–2 pixel shifts, brightness changes, cycling)
    /// of distinct training images into train and test of the embedded sample, audits clean and planted
    /// data the same way, and scores the planted pairs.
    /// </summary>
    public static NearDuplicateScore Measure(int copies, NearDuplicateOptions? options = null, int seed = 3)
    {
        var inspect = new InspectOptions { NearDuplicates = options ?? new NearDuplicateOptions() };
        using var clean = DataSpec.Load("fashion-mnist-sample");
        var cleanAudit = GrayChunks.SingleThreadedTorch(() => ImageAudit.Run(clean, inspect));
        var cleanPairs = cleanAudit.NearDuplicates.Pairs
            .Select(p => (Key(cleanAudit.Numbering, p.A), Key(cleanAudit.Numbering, p.B))).ToHashSet();

        var builder = PlantedImages.From(clean);
        var random = new Random(seed);
        var sources = Enumerable.Range(0, builder.CleanCount("train")).OrderBy(_ => random.Next()).Take(copies).ToArray();
        var changes = Enum.GetValues<Change>();
        for (int k = 0; k < copies; k++)
            builder.NearCopy("train", sources[k], k % 3 == 2 ? "test" : "train", changes[k % changes.Length]);
        using var planted = builder.Build();
        var audit = GrayChunks.SingleThreadedTorch(() => ImageAudit.Run(planted.Data, inspect));

        var sourceOf = planted.Plants.ToDictionary(p => (p.Split, p.Index), p => (p.SourceSplit!, p.SourceIndex));
        (string, int) Origin((string, int) key) => sourceOf.TryGetValue(key, out var source) ? source : key;
        var reported = audit.NearDuplicates.Pairs.Select(p => (A: Key(audit.Numbering, p.A), B: Key(audit.Numbering, p.B))).ToHashSet();

        var byChange = new Dictionary<string, (int Planted, int Found)>();
        int found = 0;
        foreach (var plant in planted.Plants)
        {
            var copy = (plant.Split, plant.Index);
            var source = (plant.SourceSplit!, plant.SourceIndex);
            bool hit = reported.Contains((source, copy)) || reported.Contains((copy, source));
            found += hit ? 1 : 0;
            var change = plant.What.Split(':')[1];
            var (p, f) = byChange.GetValueOrDefault(change);
            byChange[change] = (p + 1, f + (hit ? 1 : 0));
        }
        var involving = reported.Where(p => sourceOf.ContainsKey(p.A) || sourceOf.ContainsKey(p.B)).ToList();
        int correct = involving.Count(p =>
        {
            var (a, b) = (Origin(p.A), Origin(p.B));
            return a == b || cleanPairs.Contains((a, b)) || cleanPairs.Contains((b, a));
        });
        return new NearDuplicateScore(copies, found, involving.Count, correct, byChange, audit.NearDuplicates);
    }

    static (string Split, int Index) Key(ExampleNumbering numbering, int global)
    {
        var (s, i) = numbering.Locate(global);
        return (numbering.Splits[s].Name, i);
    }
}
