using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Interop;

/// <summary>One tensor whose shape differs between the model and the checkpoint.</summary>
public sealed record ShapeMismatch(string Name, long[] ModelShape, long[] FileShape)
{
    public override string ToString() => $"{Name} (model ({string.Join(", ", ModelShape)}), file ({string.Join(", ", FileShape)}))";
}

/// <summary>What loading a state_dict by name did: every tensor of the model is either loaded or named here.</summary>
/// <param name="Loaded">Model tensors copied from the file.</param>
/// <param name="Missing">Model tensors the file does not have.</param>
/// <param name="Unexpected">File tensors the model does not have.</param>
/// <param name="Mismatched">Tensors in both whose shapes differ.</param>
/// <param name="KeptFresh">Tensors deliberately left at the model's own initialization (a new output layer when fine-tuning).</param>
public sealed record LoadReport(
    IReadOnlyList<string> Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> Mismatched, IReadOnlyList<string> KeptFresh)
{
    public bool Complete => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>One line: counts, and the first few names of each problem.</summary>
    public string Describe()
    {
        var parts = new List<string> { $"{Loaded.Count} tensors loaded" };
        if (KeptFresh.Count > 0) parts.Add($"{KeptFresh.Count} kept at their fresh initialization ({Names(KeptFresh)})");
        if (Missing.Count > 0) parts.Add($"{Missing.Count} missing from the file ({Names(Missing)})");
        if (Unexpected.Count > 0) parts.Add($"{Unexpected.Count} unexpected in the file ({Names(Unexpected)})");
        if (Mismatched.Count > 0) parts.Add($"{Mismatched.Count} of another shape ({string.Join("; ", Mismatched.Take(3))}{(Mismatched.Count > 3 ? "; …" : "")})");
        return string.Join(", ", parts);
    }

    static string Names(IReadOnlyList<string> names) => string.Join(", ", names.Take(4)) + (names.Count > 4 ? ", …" : "");
}

/// <summary>
/// Loads a state_dict into a model by name, all or nothing: unless every model tensor finds a tensor of the same
/// shape in the file and the file has nothing else, nothing is copied and the error names what differs
/// (PyTorch's load_state_dict(strict=False) would quietly leave the rest at random).
/// </summary>
public static class StateDictLoader
{
    /// <param name="file">The checkpoint's path, for the error message.</param>
    /// <param name="fresh">
    /// Model tensors that may differ in shape or be absent and then keep their initialization (fine-tuning with a new
    /// output layer); they are reported, never silent.
    /// </param>
    /// <exception cref="DataException">The file does not match the model; the message is the report.</exception>
    public static LoadReport Load(nn.Module model, IReadOnlyDictionary<string, Tensor> source, string file, IReadOnlySet<string>? fresh = null)
    {
        source = InModelNames(model, source);
        fresh ??= new HashSet<string>();
        var report = Compare(model, source, fresh);
        if (!report.Complete)
            throw new DataException(file, "tensors", $"a state_dict of this model ({model.GetType().Name}, {model.state_dict().Count} tensors), found one that differs: {report.Describe()}");
        var target = model.state_dict();
        using (no_grad())
            foreach (var name in report.Loaded)
                target[name].copy_(source[name].reshape(target[name].shape));
        return report;
    }

    /// <summary>The report of what loading would do, without copying anything.</summary>
    public static LoadReport Compare(nn.Module model, IReadOnlyDictionary<string, Tensor> source, IReadOnlySet<string> fresh)
    {
        source = InModelNames(model, source);
        var target = model.state_dict();
        List<string> loaded = [], missing = [], keptFresh = [];
        List<ShapeMismatch> mismatched = [];
        foreach (var (name, tensor) in target)
        {
            bool present = source.TryGetValue(name, out var stored);
            bool sameShape = present && SameShape(tensor, stored!);
            if (present && sameShape) loaded.Add(name);
            else if (fresh.Contains(name)) keptFresh.Add(name);
            else if (!present) missing.Add(name);
            else mismatched.Add(new ShapeMismatch(name, tensor.shape, stored!.shape));
        }
        var unexpected = source.Keys.Where(name => !target.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        return new LoadReport(loaded, missing, unexpected, mismatched, keptFresh);
    }

    /// <summary>
    /// The file's tensors under the model's own names: a file written with PyTorch names ("output.weight") matches a
    /// model whose TorchSharp names carry field underscores ("_output.weight"). Names that match exactly stay as they are.
    /// </summary>
    public static IReadOnlyDictionary<string, Tensor> InModelNames(nn.Module model, IReadOnlyDictionary<string, Tensor> source)
    {
        var modelNames = model.state_dict().Keys.ToHashSet();
        var byPyTorchName = new Dictionary<string, string>();
        foreach (var name in modelNames) byPyTorchName.TryAdd(StateDictFile.PyTorchName(name), name);
        var renamed = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in source)
        {
            var modelName = modelNames.Contains(name) ? name : byPyTorchName.GetValueOrDefault(name, name);
            renamed.TryAdd(modelName, tensor);
        }
        return renamed;
    }

    /// <summary>Same shape, or both single values (a 0-dim counter such as num_batches_tracked may be stored as shape (1)).</summary>
    static bool SameShape(Tensor model, Tensor file) =>
        model.shape.SequenceEqual(file.shape) || (model.numel() == 1 && file.numel() == 1 && model.dim() <= 1 && file.dim() <= 1);
}
