using System.Runtime.InteropServices;
using Recipe.Training;
using TorchSharp;

namespace Recipe.Tests.Training;

public class NativeHeapTests
{
    /// <summary>
    /// The calling thread's minor page faults so far (Linux /proc/thread-self/stat, 10th field). The
    /// thread's, not the process's: test classes run in parallel, and another test's allocations must
    /// not count here (they did, on a loaded CI machine).
    /// </summary>
    static long MinorPageFaults()
    {
        var text = File.ReadAllText("/proc/thread-self/stat");
        return long.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[10 - 3]);
    }

    /// <summary>The allocation shape of a CNN step: MB-sized tensors alive together, freed when the scope ends.</summary>
    static void StepLikeAllocations()
    {
        using var scope = torch.NewDisposeScope();
        foreach (long floats in new long[] { 1_600_000, 1_600_000, 800_000, 400_000, 400_000, 200_000 })
            torch.ones(floats); // 20 MB in all, written so that every page is touched
    }

    static double FaultsPerStep()
    {
        for (int i = 0; i < 5; i++) StepLikeAllocations(); // the heap settles at the step's size
        long before = MinorPageFaults();
        for (int i = 0; i < 10; i++) StepLikeAllocations();
        return (MinorPageFaults() - before) / 10.0;
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    static extern int Mallopt(int parameter, int value);

    /// <summary>
    /// glibc's out-of-the-box thresholds (128 KiB each), set explicitly: the allocator the fix replaces.
    /// Explicit, because glibc otherwise moves its thresholds with the history of the process, and
    /// the test host's history is not this test's to choose.
    /// </summary>
    static void GlibcDefaults()
    {
        Assert.Equal(1, Mallopt(-3, 128 * 1024)); // M_MMAP_THRESHOLD
        Assert.Equal(1, Mallopt(-1, 128 * 1024)); // M_TRIM_THRESHOLD
    }

    [Fact]
    public void Given_glibcs_default_thresholds_and_then_Recipes_When_steps_allocate_and_free_the_same_sizes_Then_only_Recipes_reuse_pages()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/thread-self/stat")) return; // glibc-only behaviour
        Recipe.Native.TorchRuntime.EnsureLoadable();
        torch.set_num_threads(1); // as the suite runs (CheckTestData): libtorch fills tensors on this thread, where its faults are counted

        // Given glibc's defaults: every MB-sized block is mapped fresh and zeroed by the kernel, every step
        GlibcDefaults();
        double withDefaults = FaultsPerStep();

        // When Recipe's settings are applied (the trainer applies them once per process)
        NativeHeap.KeepFreedMemory();
        Assert.True(NativeHeap.Apply());
        double withRecipe = FaultsPerStep();

        // Then the same steps reuse their pages: ~3,000 fresh pages per step before (20 MB), almost none after
        Assert.True(withDefaults > 2_000, $"{withDefaults} page faults per step with glibc's defaults (the bug's cost)");
        Assert.True(withRecipe < 300, $"{withRecipe} page faults per step with Recipe's settings");
        Assert.True(NativeHeap.Applied);
    }
}
