using Recipe.Training;
using TorchSharp;

namespace Recipe.Tests.Training;

public class NativeHeapTests
{
    /// <summary>This process's minor page faults so far (Linux /proc/self/stat, 10th field).</summary>
    static long MinorPageFaults()
    {
        var text = File.ReadAllText("/proc/self/stat");
        return long.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[10 - 3]);
    }

    /// <summary>The allocation shape of a CNN step: MB-sized tensors alive together, freed when the scope ends.</summary>
    static void StepLikeAllocations()
    {
        using var scope = torch.NewDisposeScope();
        foreach (long floats in new long[] { 1_600_000, 1_600_000, 800_000, 400_000, 400_000, 200_000 })
            torch.ones(floats); // 20 MB in all, written so that every page is touched
    }

    [Fact]
    public void Given_freed_memory_is_kept_When_steps_allocate_and_free_the_same_sizes_Then_they_reuse_pages_instead_of_faulting_fresh_ones()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/stat")) return; // glibc-only behaviour
        Recipe.Native.TorchRuntime.EnsureLoadable();

        // Given the settings the trainer applies (a second call changes nothing)
        NativeHeap.KeepFreedMemory();
        NativeHeap.KeepFreedMemory();
        Assert.True(NativeHeap.Applied);
        for (int i = 0; i < 20; i++) StepLikeAllocations(); // the heap grows to the step's size once

        // When more steps allocate and free the same tensors
        long before = MinorPageFaults();
        for (int i = 0; i < 20; i++) StepLikeAllocations();
        double faultsPerStep = (MinorPageFaults() - before) / 20.0;

        // Then pages are reused: with glibc's defaults this pattern costs ~3,000 fresh pages per step
        // (measured), as the 20 MB freed at once exceed the trim threshold and go back to the kernel
        Assert.True(faultsPerStep < 300, $"{faultsPerStep} page faults per step");
    }
}
