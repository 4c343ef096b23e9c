using Recipe.Tests.Training;

namespace Recipe.Tests;

/// <summary>
/// `dotnet test` runs this assembly's tests and never calls Main. Main exists for the few tests that
/// need a fresh process, whose state no earlier test has touched: they start this assembly again with
/// a probe's name (the test project's own Main, so no other program has to be built for them).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["heap-probe", var settings] && settings is "glibc" or "recipe")
            return HeapProbe.Run(keepFreedMemory: settings == "recipe");
        if (args is [Checks.SubsampleProvider.ProbeName, var provider])
            return Checks.SubsampleProvider.WriteFingerprint(provider);
        Console.Error.WriteLine("Recipe.Tests: run it with `dotnet test`; `heap-probe glibc|recipe` is the page-fault probe NativeHeapTests starts, " +
                                "`seed-fingerprint <provider>` the fresh process of SeedReproducibleTests");
        return 2;
    }
}
