using Recipe.Native;
using TorchSharp;

namespace Recipe.Tests.Native;

public class LibTorchSharpPatchTests
{
    static string PackagedLibrary()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", ElfWeakVersion.LibraryName);
    }

    [Fact]
    public void Given_the_packaged_library_When_patched_Then_only_the_flags_of_the_GLIBCXX_3_4_32_requirement_change()
    {
        // Given the library exactly as NuGet ships it (read, never written)
        var original = File.ReadAllBytes(PackagedLibrary());
        var patched = (byte[])original.Clone();

        // When the requirement is marked weak
        var outcome = ElfWeakVersion.Patch(patched, ElfWeakVersion.MissingVersion);

        // Then exactly one byte differs, and it gained the VER_FLG_WEAK bit
        Assert.Equal(PatchOutcome.Patched, outcome);
        Assert.Equal(original.Length, patched.Length);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.Single(changed);
        Assert.Equal(original[changed[0]] | 0x2, patched[changed[0]]);
        Assert.Equal(PatchOutcome.AlreadyWeak, ElfWeakVersion.Patch(patched, ElfWeakVersion.MissingVersion));
    }

    [Fact]
    public void Given_a_version_the_library_does_not_require_When_patched_Then_nothing_changes()
    {
        var original = File.ReadAllBytes(PackagedLibrary());
        var copy = (byte[])original.Clone();
        Assert.Equal(PatchOutcome.NotRequired, ElfWeakVersion.Patch(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(original, copy);
    }

    [Fact]
    public void Given_the_test_output_When_the_system_lacks_the_version_Then_every_copy_in_the_output_is_already_patched()
    {
        var copies = Directory.EnumerateFiles(AppContext.BaseDirectory, ElfWeakVersion.LibraryName, SearchOption.AllDirectories).ToArray();
        Assert.NotEmpty(copies);
        var expected = ElfWeakVersion.SystemNeedsPatch() ? PatchOutcome.AlreadyWeak : PatchOutcome.Patched;
        foreach (var copy in copies)
            Assert.Equal(expected, ElfWeakVersion.Patch(File.ReadAllBytes(copy), ElfWeakVersion.MissingVersion));
    }

    [Fact]
    public void Given_this_process_When_a_model_trains_Then_torch_loads_and_the_loss_goes_down()
    {
        TorchRuntime.EnsureLoadable();
        torch.manual_seed(1);
        var x = torch.randn(64, 4);
        var y = x.sum(1, keepdim: true);
        var model = torch.nn.Linear(4, 1);
        var optimizer = torch.optim.Adam(model.parameters(), 0.05);
        double first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            optimizer.zero_grad();
            var loss = torch.nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first / 10, $"loss went from {first} to {last}");
    }
}
