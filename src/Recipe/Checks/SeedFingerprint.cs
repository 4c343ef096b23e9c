using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks;

/// <summary>
/// What one seed makes of a pipeline, comparable across processes: a digest of the stored data (so a provider's
/// unseeded subsample shows), the initial weights, the losses of a few training steps and the weights after them.
/// A process started by <see cref="FreshProcess"/> writes one into the folder named by <see cref="FolderVariable"/>,
/// with the seed and the steps from <see cref="SeedVariable"/> and <see cref="StepsVariable"/>.
/// </summary>
public sealed record SeedFingerprint(string DataDigest, IReadOnlyList<double> Losses)
{
    public const string FolderVariable = "RECIPE_SEED_FINGERPRINT";
    public const string SeedVariable = "RECIPE_SEED_FINGERPRINT_SEED";
    public const string StepsVariable = "RECIPE_SEED_FINGERPRINT_STEPS";
    const string SummaryFile = "fingerprint.json";
    const string InitialFile = "initial.weights";
    const string FinalFile = "final.weights";

    /// <summary>Whether this process was started to write a fingerprint (the environment names a folder).</summary>
    public static bool Requested => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(FolderVariable));

    /// <summary>
    /// The fresh process's side: measures <paramref name="pipeline"/> with the seed and steps the environment gives and writes
    /// the fingerprint and both sets of weights into the folder it names.
    /// </summary>
    public static void WriteRequested(Pipeline pipeline, CheckOptions? options = null)
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable);
        if (string.IsNullOrEmpty(folder)) throw new InvalidOperationException($"{FolderVariable} names no folder to write the fingerprint to");
        long seed = long.Parse(Environment.GetEnvironmentVariable(SeedVariable) ?? "0", CultureInfo.InvariantCulture);
        int steps = int.Parse(Environment.GetEnvironmentVariable(StepsVariable) ?? "5", CultureInfo.InvariantCulture);
        using var context = new CheckContext(pipeline, (options ?? new CheckOptions()) with { Seed = seed, FreshProcess = null });
        using var initial = context.NewModel();
        initial.save(Path.Combine(folder, InitialFile));
        var run = context.Train(new RunSpec("seed fingerprint", steps));
        using var final = run.Model;
        final.save(Path.Combine(folder, FinalFile));
        var fingerprint = new SeedFingerprint(Digest(pipeline.Data), run.Training.StepLosses.ToArray());
        File.WriteAllText(Path.Combine(folder, SummaryFile), JsonSerializer.Serialize(fingerprint));
    }

    /// <summary>SHA-256 over the training and validation splits' stored inputs and targets (shape, type and bytes).</summary>
    public static string Digest(Dataset data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var split in new[] { data.Train, data.Validation })
            foreach (var tensor in new[] { split.Inputs, split.Targets })
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{split.Name}:{tensor.dtype}:{string.Join("x", tensor.shape)};"));
                using var contiguous = tensor.contiguous();
                hash.AppendData(contiguous.bytes);
            }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>What the fresh process produced: its fingerprint and the folder holding its weights, or why there is none.</summary>
    public sealed record Outcome(SeedFingerprint? Fingerprint, string Folder, string? Failure) : IDisposable
    {
        /// <summary>Loads the fresh process's initial (or final) weights into <paramref name="model"/>.</summary>
        public void LoadInto(nn.Module<Tensor, Tensor> model, bool final) => model.load(Path.Combine(Folder, final ? FinalFile : InitialFile));

        public void Dispose()
        {
            try { Directory.Delete(Folder, recursive: true); }
            catch (IOException) { /* a temporary folder: left for the system to clean */ }
        }
    }

    /// <summary>Starts <paramref name="command"/> and waits for its fingerprint (at most <paramref name="timeout"/>).</summary>
    public static Outcome Measure(FreshProcess command, long seed, int steps, TimeSpan timeout)
    {
        var folder = Directory.CreateTempSubdirectory("recipe-seed-").FullName;
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments) start.ArgumentList.Add(argument);
        start.Environment[FolderVariable] = folder;
        start.Environment[SeedVariable] = seed.ToString(CultureInfo.InvariantCulture);
        start.Environment[StepsVariable] = steps.ToString(CultureInfo.InvariantCulture);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command.FileName}");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return new Outcome(null, folder, $"the fresh process did not finish within {timeout.TotalSeconds:F0} s");
            }
            var summary = Path.Combine(folder, SummaryFile);
            if (process.ExitCode != 0 || !File.Exists(summary))
            {
                var lines = (stderr.Result + "\n" + stdout.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return new Outcome(null, folder, $"the fresh process exited with code {process.ExitCode}: {lines.LastOrDefault() ?? "no output"}");
            }
            return new Outcome(JsonSerializer.Deserialize<SeedFingerprint>(File.ReadAllText(summary)), folder, null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or JsonException)
        {
            return new Outcome(null, folder, $"the fresh process could not run: {e.Message}");
        }
    }
}
