using Recipe.Data;
using Recipe.Models;
using static TorchSharp.torch;

namespace Recipe.Interop;

/// <summary>
/// A checkpoint to start training from (--init-from): a PyTorch state_dict file (.pt or .safetensors, with its
/// normalization in a sidecar <c>FILE.normalization.json</c> when known), or a Recipe run folder (its model.json says
/// how its inputs were normalized).
/// </summary>
public static class Checkpoint
{
    /// <summary>The weights file of <paramref name="source"/>: the file itself, or the run folder's safetensors/.pt weights.</summary>
    public static string WeightsFileOf(string source)
    {
        if (!Directory.Exists(source)) return source;
        var card = ModelCard.Load(source);
        return card.Weights.Select(w => Path.Combine(source, w)).FirstOrDefault(File.Exists)
            ?? throw new DataException(source, "folder", $"the weights ({string.Join(" or ", card.Weights)}) beside {ModelCard.FileName}, found none");
    }

    /// <summary>The input normalization the checkpoint's weights were trained with; null when nothing records it.</summary>
    public static InputNormalization? NormalizationOf(string source)
    {
        if (Directory.Exists(source))
        {
            var card = ModelCard.Load(source);
            return card.Input is null ? null : card.Input with { Source = $"the run {source} ({card.Input.Source})" };
        }
        if (!File.Exists(source))
            throw new DataException(source, "path", "a checkpoint file (.pt or .safetensors) or a run folder written by `recipe run`, found nothing there");
        return InputNormalization.LoadSidecar(source);
    }

    /// <summary>
    /// Loads the checkpoint into <paramref name="model"/> by name. Every tensor must match, except the output layer's,
    /// which keeps its fresh initialization when the checkpoint's has another shape (fine-tuning to other classes).
    /// </summary>
    /// <exception cref="DataException">Not a checkpoint, damaged, or of another architecture: the message names the differences.</exception>
    public static LoadReport LoadInto(nn.Module<Tensor, Tensor> model, string source)
    {
        var file = WeightsFileOf(source);
        var state = StateDictFile.Read(file);
        try
        {
            var named = StateDictLoader.InModelNames(model, state);
            var fresh = OutputLayerNames(model);
            // The output layer may start fresh only when it is the one thing that differs; a same-shape head is loaded.
            var compared = StateDictLoader.Compare(model, named, new HashSet<string>());
            var allowed = compared.Mismatched.All(m => fresh.Contains(m.Name)) && compared.Missing.Count == 0
                ? fresh.Where(name => compared.Mismatched.Any(m => m.Name == name)).ToHashSet()
                : new HashSet<string>();
            var skipped = allowed.Count > 0 ? named.Where(p => !allowed.Contains(p.Key)).ToDictionary() : named;
            return StateDictLoader.Load(model, skipped, file, allowed);
        }
        finally
        {
            foreach (var tensor in state.Values) tensor.Dispose();
        }
    }

    /// <summary>The state_dict names of the model's output layer (its weight and bias), empty when it has none.</summary>
    static HashSet<string> OutputLayerNames(nn.Module<Tensor, Tensor> model)
    {
        if (model is not IHasOutputLayer withOutput) return [];
        var prefix = model.named_modules().FirstOrDefault(m => ReferenceEquals(m.module, withOutput.Output)).name;
        return prefix is null ? [] : [$"{prefix}.weight", $"{prefix}.bias"];
    }
}
