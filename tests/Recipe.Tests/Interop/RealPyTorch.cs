using System.Diagnostics;

namespace Recipe.Tests.Interop;

/// <summary>
/// Debian's PyTorch and torchvision under /usr/bin/python3, installed by tools/install-pytorch when missing (once per
/// test process). Where they cannot be installed, the tests that need them are skipped with the script's reason.
/// </summary>
public static class RealPyTorch
{
    public const string Python = "/usr/bin/python3";

    static readonly Lazy<string?> Unavailable = new(Install);

    /// <summary>Null when torch and torchvision import; otherwise why not.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    static string? Install()
    {
        var script = FindUp(Path.Combine("tools", "install-pytorch"));
        if (script is null) return "tools/install-pytorch not found above the test folder";
        var (code, output) = Execute("/bin/bash", script);
        return code == 0 ? null : $"PyTorch/torchvision unavailable: {output.Trim()}";
    }

    /// <summary>Runs the interop script's <paramref name="mode"/> on <paramref name="folder"/>; returns its stdout, or fails the test with its stderr.</summary>
    public static string RunScript(string mode, string folder)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "pytorch_interop.py");
        var (code, output) = Execute(Python, script, mode, folder);
        Assert.True(code == 0, $"pytorch_interop.py {mode} failed (exit {code}): {output}");
        return output;
    }

    static (int Code, string Output) Execute(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    static string? FindUp(string relative)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, relative))) return Path.Combine(folder.FullName, relative);
        return null;
    }
}

/// <summary>A fact that needs real PyTorch: skipped, with the reason shown, only where it cannot be installed.</summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (RealPyTorch.WhyUnavailable is { } reason) Skip = reason;
    }
}
