using TorchSharp;

namespace Recipe.Training;

/// <summary>
/// One seed for everything random: torch (weights, dropout), .NET randomness and the data order.
/// Components that need randomness take a <see cref="Random"/> or a seed from here, never a global one.
/// </summary>
public static class Seeding
{
    /// <summary>Seeds torch's global generator; returns a .NET generator seeded the same way.</summary>
    public static Random Apply(long seed)
    {
        Native.TorchRuntime.EnsureLoadable();
        torch.manual_seed(seed);
        torch.random.manual_seed(seed);
        return new Random(unchecked((int)seed ^ (int)(seed >> 32)));
    }

    /// <summary>The seed of the data order in epoch <paramref name="epoch"/> (differs per epoch, fixed per run).</summary>
    public static long DataOrderSeed(long seed, int epoch) => unchecked(seed * 1_000_003 + epoch);
}
