using System.Runtime.InteropServices;
using Recipe.Training;
using TorchSharp;

namespace Recipe.Tests.Training;

/// <summary>
/// Minor page faults per step of step-shaped allocations, in a process of its own, on its main thread:
/// a test host's other threads allocate from the same arenas and move glibc's thresholds, so only a
/// fresh process measures one setting at a time. Prints the median step's faults.
/// </summary>
public static class HeapProbe
{
    /// <summary>
    /// This thread's minor page faults so far (Linux /proc/thread-self/stat, 10th field): with one torch
    /// thread every tensor is filled here, and the runtime's own threads (JIT, GC) do not count.
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

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    static extern int Mallopt(int parameter, int value);

    public static int Run(bool keepFreedMemory)
    {
        Recipe.Native.TorchRuntime.EnsureLoadable();
        torch.set_num_threads(1);
        // Both runs start from glibc's out-of-the-box thresholds, set explicitly: left alone, glibc raises
        // them as large blocks are freed, so where they stand would depend on what the runtime did first.
        if (Mallopt(-3, 128 * 1024) != 1 || Mallopt(-1, 128 * 1024) != 1) // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
        {
            Console.Error.WriteLine("mallopt refused glibc's own defaults");
            return 1;
        }
        if (keepFreedMemory)
        {
            NativeHeap.KeepFreedMemory(); // what Trainer.Fit does first
            if (!NativeHeap.Applied) { Console.Error.WriteLine("mallopt refused Recipe's settings"); return 1; }
        }
        for (int i = 0; i < 20; i++) StepLikeAllocations(); // the heap settles at the step's size
        // the median step: a garbage collection now and then recommits the managed heap on this thread
        // (~1,600 faults once), which is not the native heap's doing
        var faults = new long[21];
        for (int i = 0; i < faults.Length; i++)
        {
            long before = MinorPageFaults();
            StepLikeAllocations();
            faults[i] = MinorPageFaults() - before;
        }
        Console.WriteLine(faults.Order().ElementAt(faults.Length / 2));
        return 0;
    }
}
