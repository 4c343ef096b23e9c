using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Recipe.Bench;

/// <summary>
/// PyTorch (Debian's python3-torch) running bench/pytorch_steps.py as a long-lived child process: it
/// loads the data once, then answers one request per line, so PyTorch can take turns with the
/// TorchSharp variants without paying Python's start-up each time. It idles (blocked on stdin) while
/// the others run.
/// </summary>
public sealed class PyTorchVariant : IStepVariant
{
    readonly Process _process;

    PyTorchVariant(Process process, string version, int threads, string blas)
    {
        _process = process;
        Version = version;
        Threads = threads;
        Blas = blas;
    }

    public string Version { get; }
    /// <summary>torch.get_num_threads() as PyTorch reports it after the script set it.</summary>
    public int Threads { get; }
    /// <summary>The BLAS library PyTorch mapped (the MLP's speed depends on it).</summary>
    public string Blas { get; }
    public string Label => $"PyTorch {Version}";

    /// <summary>Starts the server; null with the reason when PyTorch or the script is missing.</summary>
    public static PyTorchVariant? TryStart(BenchOptions options, out string whyNot)
    {
        string script = Path.Combine(options.Root, "bench", "pytorch_steps.py");
        var info = new ProcessStartInfo(options.Python)
        {
            ArgumentList = { script, "--serve", "--threads", options.Threads.ToString(), "--data", Recipe.Data.DataSpec.SystemFashionMnist },
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        Process process;
        try { process = Process.Start(info)!; }
        catch (Exception e) { whyNot = $"cannot start {options.Python}: {e.Message}"; return null; }
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        var ready = process.StandardOutput.ReadLine();
        if (ready is null)
        {
            process.WaitForExit();
            string detail;
            lock (errors) detail = errors.ToString();
            whyNot = detail.Contains("No module named 'torch'", StringComparison.Ordinal)
                ? "PyTorch not installed (bench/install-pytorch)"
                : $"pytorch_steps.py failed: {detail.Trim().Split('\n').LastOrDefault()}";
            process.Dispose();
            return null;
        }
        using var hello = JsonDocument.Parse(ready);
        whyNot = "";
        return new PyTorchVariant(process, hello.RootElement.GetProperty("torch").GetString()!,
            hello.RootElement.GetProperty("threads").GetInt32(), hello.RootElement.GetProperty("blas").GetString()!);
    }

    public StepSpeed Run(BenchModel model, long seed)
    {
        var request = JsonSerializer.Serialize(new { model = model.Name, warmup = model.WarmupSteps, steps = model.TimedSteps, seed });
        _process.StandardInput.WriteLine(request);
        _process.StandardInput.Flush();
        var answer = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("pytorch_steps.py exited");
        using var json = JsonDocument.Parse(answer);
        if (json.RootElement.TryGetProperty("error", out var error))
            throw new InvalidOperationException($"pytorch_steps.py: {error.GetString()}");
        return new StepSpeed(json.RootElement.GetProperty("steps_per_second").GetDouble(),
                             json.RootElement.GetProperty("steps_per_cpu_second").GetDouble());
    }

    public void Dispose()
    {
        _process.StandardInput.Close(); // the server's loop ends at end of input
        if (!_process.WaitForExit(10_000)) _process.Kill();
        _process.Dispose();
    }
}
