using System.Diagnostics;
using System.Globalization;
using System.Text;
using Recipe.Data;
using Recipe.Interop;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Predict;

/// <summary>What `recipe predict` did: how many examples, how fast, and how well when the data had labels.</summary>
public sealed record PredictionSummary(int Examples, double Seconds, double? Accuracy, double? Loss, double? Rmse, string OutFile, IReadOnlyList<string> Notes)
{
    public double ExamplesPerSecond => Seconds > 0 ? Examples / Seconds : double.PositiveInfinity;
}

/// <summary>What `recipe predict --samples` drew: the lines, the seed and prompt that reproduce them, and where they were written.</summary>
public sealed record SampleSummary(IReadOnlyList<string> Samples, string Prompt, long Seed, string OutFile);

/// <summary>
/// `recipe predict`: a trained run's model applied to new data, in batches, without gradients, in eval mode.
/// Writes one CSV row per example: the class and the probability of every class; the value in the target's own
/// units for regression; the per-character loss for text lines.
/// </summary>
public static class Predictor
{
    public const int BatchSize = 256;

    public static PredictionSummary Run(string runFolder, string dataSpec, string? outFile = null)
    {
        Native.TorchRuntime.EnsureLoadable();
        var card = ModelCard.Load(runFolder);
        using var model = card.LoadModel(runFolder);
        using var data = PredictionInputs.Read(dataSpec, card);
        outFile ??= Path.Combine(runFolder, "predictions.csv");

        var clock = Stopwatch.StartNew();
        using var outputs = Apply(model, data.Inputs, card);
        double seconds = clock.Elapsed.TotalSeconds;

        var csv = new StringBuilder();
        double? accuracy = null, loss = null, rmse = null;
        switch (card.Task)
        {
            case TaskKind.Classification: (accuracy, loss) = WriteClasses(csv, outputs, data, card); break;
            case TaskKind.Regression: rmse = WriteValues(csv, outputs, data, card); break;
            default: (accuracy, loss) = WriteLines(csv, outputs, data); break;
        }
        WriteWhole(outFile, csv.ToString());
        return new PredictionSummary(data.Count, seconds, accuracy, loss, rmse, outFile, data.Notes);
    }

    public const string SamplesFile = "samples.csv";

    /// <summary>Text models: <paramref name="count"/> seeded next-character samples after <paramref name="prompt"/> (<see cref="TextSampler"/>), written as CSV.</summary>
    public static SampleSummary Sample(string runFolder, int count, string prompt = "", long seed = 0, string? outFile = null)
    {
        Native.TorchRuntime.EnsureLoadable();
        var card = ModelCard.Load(runFolder);
        using var model = card.LoadModel(runFolder);
        var samples = TextSampler.Sample(model, card, count, prompt, seed);
        outFile ??= Path.Combine(runFolder, SamplesFile);
        var csv = new StringBuilder("sample,seed,prompt,text\n");
        for (int n = 0; n < samples.Count; n++)
            csv.Append(n + 1).Append(',').Append(seed).Append(',').Append(Quote(prompt)).Append(',').Append(Quote(samples[n])).Append('\n');
        WriteWhole(outFile, csv.ToString());
        return new SampleSummary(samples, prompt, seed, outFile);
    }

    /// <summary>The model's outputs for every example, batch by batch (classes: logits; regression: standardized values; text: (N, T, V) logits).</summary>
    public static Tensor Apply(nn.Module<Tensor, Tensor> model, Tensor stored, ModelCard card)
    {
        model.eval();
        var batches = new List<Tensor>();
        using (no_grad())
        {
            for (long start = 0; start < stored.shape[0]; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = stored.narrow(0, start, Math.Min(BatchSize, stored.shape[0] - start));
                var input = card.Input is { } normalization ? normalization.Apply(batch) : batch.dtype == int64 ? batch.alias() : batch.to_type(float32);
                batches.Add(model.call(input).MoveToOuterDisposeScope());
            }
        }
        var all = cat(batches, 0);
        foreach (var b in batches) b.Dispose();
        return all;
    }

    static (double? Accuracy, double? Loss) WriteClasses(StringBuilder csv, Tensor logits, PredictionInputs data, ModelCard card)
    {
        using var scope = NewDisposeScope();
        var probabilities = logits.softmax(1).to_type(float64);
        var predicted = probabilities.argmax(1);
        var p = probabilities.data<double>().ToArray();
        var k = predicted.data<long>().ToArray();
        long[]? labels = data.Targets?.data<long>().ToArray();
        int classes = card.ClassNames.Length;
        csv.AppendJoin(',', new[] { "example", "predicted", "probability" }.Concat(card.ClassNames.Select(c => $"p({c})")).Concat(labels is null ? [] : ["label", "correct"]).Select(Quote)).Append('\n');
        for (int n = 0; n < data.Count; n++)
        {
            csv.Append(Quote(data.Origins[n])).Append(',').Append(Quote(card.ClassNames[k[n]])).Append(',').Append(Number(p[n * classes + k[n]]));
            for (int c = 0; c < classes; c++) csv.Append(',').Append(Number(p[n * classes + c]));
            if (labels is not null) csv.Append(',').Append(Quote(card.ClassNames[labels[n]])).Append(',').Append(labels[n] == k[n] ? "1" : "0");
            csv.Append('\n');
        }
        if (data.Targets is null) return (null, null);
        double accuracy = predicted.eq(data.Targets).to_type(float64).mean().item<double>();
        double loss = Losses.For(TaskKind.Classification, logits, data.Targets).item<float>();
        return (accuracy, loss);
    }

    static double? WriteValues(StringBuilder csv, Tensor standardized, PredictionInputs data, ModelCard card)
    {
        using var scope = NewDisposeScope();
        var scale = card.TargetScale ?? new TargetScale(0, 1);
        var values = scale.ToOriginal(standardized.squeeze(-1)).data<double>().ToArray();
        double[]? targets = data.Targets?.to_type(float64).data<double>().ToArray();
        csv.Append(targets is null ? "example,predicted\n" : $"example,predicted,{Quote(card.Table?.TargetColumn ?? "target")}\n");
        for (int n = 0; n < data.Count; n++)
        {
            csv.Append(Quote(data.Origins[n])).Append(',').Append(Number(values[n]));
            if (targets is not null) csv.Append(',').Append(Number(targets[n]));
            csv.Append('\n');
        }
        return targets is null ? null : Math.Sqrt(values.Zip(targets, (v, t) => (v - t) * (v - t)).Average());
    }

    /// <summary>Text: each line's mean loss per character (nats) and how often the most likely next character was right.</summary>
    static (double? Accuracy, double? Loss) WriteLines(StringBuilder csv, Tensor logits, PredictionInputs data)
    {
        using var scope = NewDisposeScope();
        var targets = data.Targets!;
        var perLine = Losses.PerExample(TaskKind.Sequence, logits, targets).to_type(float64).data<double>().ToArray();
        var counted = targets.ne(Losses.IgnoreIndex);
        var hits = logits.argmax(-1).eq(targets).logical_and(counted).to_type(float64).sum(1).div(counted.to_type(float64).sum(1).clamp_min(1));
        var hitRate = hits.data<double>().ToArray();
        csv.Append("example,line,loss_per_char,next_char_accuracy\n");
        for (int n = 0; n < data.Count; n++)
            csv.Append(Quote(data.Origins[n])).Append(',').Append(Quote(data.Lines![n])).Append(',').Append(Number(perLine[n])).Append(',').Append(Number(hitRate[n])).Append('\n');
        double tokenLoss = Losses.For(TaskKind.Sequence, logits, targets).item<float>();
        double accuracy = logits.argmax(-1).eq(targets).logical_and(counted).sum().item<long>() / (double)counted.sum().item<long>();
        return (accuracy, tokenLoss);
    }

    /// <summary>Writes through a temporary file: a predictions file under its final name is always complete.</summary>
    static void WriteWhole(string path, string content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder)) throw new DataException(path, "--out", $"a file in an existing folder, found no folder {folder}");
        var temporary = path + ".partial";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"")}\"" : field;
}
