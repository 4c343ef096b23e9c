using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Bench;

/// <summary>
/// The model zoo on real data (issue 11). Words (Debian's /usr/share/dict/words, one word per line, Recipe's own split):
/// each character model's validation loss in nats per character (the end-of-line token counted as one) after the same
/// number of Adam steps, beside the count bigram fitted on the same training lines, with the training time. Fashion-MNIST
/// (a subset): the VGG-style CNN with batch norm against the small CNN, validation accuracy and time per epoch.
/// </summary>
public sealed class ZooBenchmark(string part) : IBenchmark
{
    const int Seed = 0;

    /// <summary>The two halves, separate commands so that each can run in its own process (one torch thread each).</summary>
    public static readonly IBenchmark[] Parts = [new ZooBenchmark("words"), new ZooBenchmark("images")];

    public string Name => $"zoo-{part}";
    public string Description => part == "words"
        ? "model zoo on words: each character model's validation nats/char and training CPU time beside the count bigram"
        : "model zoo on a Fashion-MNIST subset: VGG-BN vs the small CNN, validation accuracy and CPU time per epoch";

    public IReadOnlyList<ResultRow> Run(BenchOptions options) => part == "words" ? [.. Words(options)] : [.. Images(options)];

    static IEnumerable<ResultRow> Words(BenchOptions options)
    {
        using var data = DataSpec.Load("words");
        int steps = options.Quick ? 50 : 2000;
        Log.Line($"zoo: words: {data.Train.Count} training lines, {data.Validation.Count} validation lines, vocabulary {data.Vocabulary!.Size}");
        double bigram = CountBigram.ValidationNats(data);
        yield return new ResultRow("zoo", "words: count bigram (add-one counts on the training lines), validation nats/char", new Sample("nats", [bigram]));
        // The first (smallest) rung of each architecture on the ladder: the same budget for all, about 1.5 epochs.
        foreach (var rung in ModelLadder.For(data).GroupBy(r => r.Name).Select(g => g.First()))
        {
            var (nats, seconds) = TrainAndScore(rung, data, steps, batch: 64, learningRate: 2e-3);
            Log.Line($"zoo: words: {rung}: {nats:F4} nats/char after {steps} steps, {seconds:F1} CPU s");
            yield return new ResultRow("zoo", $"words: {rung}, validation nats/char after {steps} steps of 64 lines (Adam 2e-3)", new Sample("nats", [nats]));
            yield return new ResultRow("zoo", $"words: {rung}, training CPU time", new Sample("s", [seconds]));
        }
    }

    static (double Nats, double Seconds) TrainAndScore(ModelChoice rung, Dataset data, int steps, int batch, double learningRate)
    {
        Seeding.Apply(Seed);
        using var model = ModelFactory.Create(rung, data);
        FinalLayerInit.FromTargets((IHasOutputLayer)model, data);
        double seconds = Train(model, data, x => x.alias(), steps, batch, learningRate);
        model.eval();
        double lossSum = 0, tokens = 0;
        using (no_grad())
            for (long start = 0; start < data.Validation.Count; start += 1024)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(1024, data.Validation.Count - start);
                var y = data.Validation.Targets.narrow(0, start, count);
                var output = model.call(data.Validation.Inputs.narrow(0, start, count));
                lossSum += nn.functional.cross_entropy(output.flatten(0, 1), y.flatten(), ignore_index: Losses.IgnoreIndex, reduction: nn.Reduction.Sum).item<float>();
                tokens += y.ne(Losses.IgnoreIndex).sum().item<long>();
            }
        return (lossSum / tokens, seconds);
    }

    /// <summary>
    /// Plain training: shuffled batches, the task's loss, Adam at a constant rate. Returns this process's CPU seconds (one
    /// torch thread): on a shared machine the wall clock also counts other people's work.
    /// </summary>
    static double Train(nn.Module<Tensor, Tensor> model, Dataset data, Func<Tensor, Tensor> transform, int steps, int batch, double learningRate)
    {
        using var optimizer = new FusedAdam(model.parameters(), learningRate);
        using var generator = new Generator(Seed);
        var order = randperm(data.Train.Count, generator: generator);
        long position = 0;
        model.train();
        var clock = CpuClock.Now();
        for (int step = 0; step < steps; step++)
        {
            if (position + batch > data.Train.Count)
            {
                order.Dispose();                                              // a new epoch, a new order
                order = randperm(data.Train.Count, generator: generator);
                position = 0;
            }
            using var scope = NewDisposeScope();
            var index = order.narrow(0, position, batch);
            position += batch;
            optimizer.zero_grad();
            Losses.For(data.Task, model.call(transform(data.Train.Inputs.index_select(0, index))), data.Train.Targets.index_select(0, index)).backward();
            optimizer.step();
        }
        order.Dispose();
        return CpuClock.Now().CpuSeconds - clock.CpuSeconds;
    }

    static IEnumerable<ResultRow> Images(BenchOptions options)
    {
        using var full = BenchData.LoadFashionMnist();
        int trainCount = options.Quick ? 512 : 5_000, epochs = options.Quick ? 1 : 2;
        var first = Enumerable.Range(0, trainCount).Select(i => (long)i).ToArray();
        var validationRows = Enumerable.Range(0, 1000).Select(i => (long)i).ToArray();
        using var data = new Dataset
        {
            Name = $"fashion-mnist ({trainCount} train)", Source = full.Source, Format = full.Format, Task = full.Task, ClassNames = full.ClassNames,
            ExampleShape = full.ExampleShape, Train = full.Train.Subset("train", first), Validation = full.Validation.Subset("validation", validationRows),
            Test = full.Validation.Subset("test", validationRows),
        };
        using var normalizer = InputNormalizer.FitTo(data);
        int stepsPerEpoch = trainCount / BenchModel.BatchSize;
        foreach (var rung in new ModelChoice[] { new("cnn", 16), new("vgg", 16, 3) })
        {
            Seeding.Apply(Seed);
            using var model = ModelFactory.Create(rung, data);
            FinalLayerInit.FromTargets((IHasOutputLayer)model, data);
            double seconds = Train(model, data, normalizer.Apply, epochs * stepsPerEpoch, BenchModel.BatchSize, 3e-4);
            var result = Evaluation.Run(model, data.Validation, data.Task, normalizer);
            Log.Line($"zoo: fashion-mnist: {rung}: accuracy {result.Accuracy:P1}, loss {result.Loss:F4}, {seconds / epochs:F1} CPU s per epoch");
            yield return new ResultRow("zoo", $"fashion-mnist {trainCount} train, {epochs} epochs of batch {BenchModel.BatchSize}, Adam 3e-4: {rung}, validation accuracy (first 1000 test images)",
                new Sample("%", [100 * result.Accuracy!.Value]));
            yield return new ResultRow("zoo", $"fashion-mnist: {rung}, CPU time per epoch", new Sample("s", [seconds / epochs]));
        }
    }
}
