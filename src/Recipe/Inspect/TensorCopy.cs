using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>
/// Copies a CPU tensor's elements into a managed array with one memory copy (TorchSharp's element
/// accessor copies one element at a time, which dominates whole-dataset passes).
/// </summary>
public static class TensorCopy
{
    public static T[] ToArray<T>(Tensor tensor) where T : unmanaged
    {
        if (tensor.is_contiguous()) return MemoryMarshal.Cast<byte, T>(tensor.bytes).ToArray();
        using var dense = tensor.contiguous();
        return MemoryMarshal.Cast<byte, T>(dense.bytes).ToArray();
    }
}
