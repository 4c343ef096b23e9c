using System.Collections;
using Recipe.Data;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Recipe.Interop;

/// <summary>
/// A state_dict (parameter and buffer tensors by name) on disk, in PyTorch's own formats, read and written with
/// TorchSharp.PyBridge: <c>.pt</c>/<c>.pth</c>/<c>.bin</c> as torch.save writes it (a zip archive with a pickle), and
/// <c>.safetensors</c>. The format is told by the file's first bytes, not its name.
/// </summary>
public static class StateDictFile
{
    /// <summary>The tensors of a state_dict file, by name; the caller disposes them.</summary>
    /// <exception cref="DataException">Missing, truncated, or not a PyTorch/safetensors state_dict.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (Directory.Exists(path)) throw new DataException(path, "path", "a checkpoint file (.pt or .safetensors), found a folder");
        RegularFile.Require(path);
        var head = new byte[9];
        int got;
        using (var stream = File.OpenRead(path)) got = stream.Read(head, 0, head.Length);
        try
        {
            if (got >= 4 && head[0] == 0x50 && head[1] == 0x4b && head[2] == 0x03 && head[3] == 0x04) return ReadPickle(path);
            if (got == 9 && head[8] == (byte)'{') return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not DataException and not OutOfMemoryException)
        {
            // PyBridge and the zip/pickle readers fail in many ways on a damaged file; the user needs one line.
            throw new DataException(path, "content", $"a complete PyTorch state_dict (torch.save(model.state_dict())) or safetensors file, " +
                                                     $"found a damaged or truncated one ({e.GetType().Name}: {FirstLine(e.Message)})");
        }
        throw new DataException(path, "byte 0", "a PyTorch state_dict saved by torch.save (a zip archive, 'PK') or a safetensors file " +
                                               "(an 8-byte header length, then '{'), found neither");
    }

    static Dictionary<string, Tensor> ReadPickle(string path)
    {
        Hashtable table;
        using (var stream = File.OpenRead(path)) table = PyTorchUnpickler.UnpickleStateDict(stream);
        var tensors = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string name || entry.Value is not Tensor value)
                throw new DataException(path, $"entry '{entry.Key}'", "a state_dict of tensors by name (torch.save(model.state_dict())), found another object");
            tensors[name] = value;
        }
        return tensors;
    }

    /// <summary>
    /// Writes <paramref name="model"/>'s state_dict as a PyTorch checkpoint (<c>.safetensors</c> by name, torch.save's
    /// format otherwise), with the names a PyTorch module would give (<see cref="PyTorchName"/>).
    /// </summary>
    public static void Write(nn.Module model, string path)
    {
        var state = model.state_dict().ToDictionary(p => PyTorchName(p.Key), p => p.Value.detach().contiguous());
        try { Write(state, path); }
        finally { foreach (var tensor in state.Values) tensor.Dispose(); }
    }

    /// <summary>
    /// Writes tensors by name, through a temporary file so that no half-written checkpoint is ever left under the final
    /// name. The tensors must be contiguous.
    /// </summary>
    public static void Write(IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        var state = tensors.ToDictionary(p => p.Key, p => p.Value);
        var temporary = path + ".partial";
        try
        {
            using (var stream = File.Create(temporary))
            {
                if (IsSafetensorsName(path)) Safetensors.SaveStateDict(stream, state, leaveOpen: true);
                else PyTorchPickler.PickleStateDict(stream, new Hashtable(state), leaveOpen: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>
    /// The name PyTorch would give a tensor: TorchSharp registers C# fields by their names, so Recipe's own models
    /// have "_output.weight" where a PyTorch module has "output.weight"; every dotted part loses its leading underscores.
    /// </summary>
    public static string PyTorchName(string name) => string.Join('.', name.Split('.').Select(part => part.TrimStart('_')));

    public static bool IsSafetensorsName(string path) => Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase);

    static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
