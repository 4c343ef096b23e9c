using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// Tiny real and synthetic data for the fault-injection tests, made once per test run: a few hundred
/// Fashion-MNIST images from the embedded sample, lines of words, an orientation task and a regression.
/// Tests never dispose these.
/// </summary>
public static class CheckTestData
{
    static readonly Lazy<(Dataset Data, InputNormalizer Normalizer)> Fashion = new(() =>
    {
        Recipe.Native.TorchRuntime.EnsureLoadable();
        torch.set_num_threads(1); // the test machine is shared: extra torch threads only spin
        using var full = IdxDataset.EmbeddedFashionMnistSample();
        var data = Subset(full, 600, 300);
        return (data, InputNormalizer.FitTo(data));
    });

    static readonly Lazy<Dataset> WordsData = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"recipe-check-words-{Environment.ProcessId}.txt");
        File.WriteAllLines(path, WordLines(400));
        try { return TextLinesDataset.Read(path); }
        finally { File.Delete(path); }
    });

    /// <summary>600 training and 300 validation images of the embedded Fashion-MNIST sample.</summary>
    public static Dataset FashionMnist => Fashion.Value.Data;
    /// <summary>The normalizer fitted to <see cref="FashionMnist"/>'s training split.</summary>
    public static InputNormalizer FashionNormalizer => Fashion.Value.Normalizer;
    /// <summary>400 lines, each a word from a small English list, as an autoregressive dataset.</summary>
    public static Dataset Words => WordsData.Value;

    /// <summary>Recipe's default pipeline on the Fashion-MNIST subset, with a small MLP (fast on a shared CPU).</summary>
    public static Pipeline FashionPipeline() =>
        Pipeline.Default(FashionMnist, FashionNormalizer, "mlp", new TrainingConfig { BatchSize = 64 }) with
        {
            CreateModel = () => WithPriorBias(new Mlp(784, [32], 10), FashionMnist),
            CreateLargerModel = () => WithPriorBias(new Mlp(784, [64], 10), FashionMnist),
        };

    /// <summary>Recipe's default pipeline (a small causal char-conv, Adam 3e-3 to learn within the quick budget) on the word lines.</summary>
    public static Pipeline WordsPipeline() =>
        Pipeline.Default(Words, InputNormalizer.Identity(), "charconv", new TrainingConfig { BatchSize = 32, LearningRate = 3e-3 }) with
        {
            CreateModel = () => WithPriorBias(new CausalCharConv(Words.Vocabulary!.Size, hidden: 32), Words),
            CreateLargerModel = null,
        };

    public static nn.Module<Tensor, Tensor> WithPriorBias(nn.Module<Tensor, Tensor> model, Dataset data)
    {
        FinalLayerInit.FromTargets((IHasOutputLayer)model, data);
        return model;
    }

    /// <summary>A new dataset whose splits are copies of the first examples of <paramref name="source"/>'s.</summary>
    public static Dataset Subset(Dataset source, int train, int validation) => new()
    {
        Name = $"{source.Name} (subset)",
        Source = source.Source,
        Format = source.Format,
        Task = source.Task,
        ClassNames = source.ClassNames,
        ExampleShape = source.ExampleShape,
        Train = CheckContext.First(source.Train, train, "train"),
        Validation = CheckContext.First(source.Validation, validation, "validation"),
        Test = CheckContext.First(source.Test, 100, "test"),
        Vocabulary = source.Vocabulary,
    };

    /// <summary>The same data with other targets (e.g. shuffled labels), through a function of each split's targets.</summary>
    public static Dataset WithTargets(Dataset source, Func<DataSplit, Tensor> targets, bool trainOnly = true) =>
        WithSplits(source, split => (split.Inputs.clone(), trainOnly && split.Name != "train" ? split.Targets.clone() : targets(split)));

    /// <summary>The same data with both inputs and targets rebuilt per split.</summary>
    public static Dataset WithSplits(Dataset source, Func<DataSplit, (Tensor Inputs, Tensor Targets)> rebuild, IReadOnlyList<string>? classNames = null)
    {
        DataSplit Make(DataSplit split)
        {
            var (inputs, targets) = rebuild(split);
            return new DataSplit(split.Name, inputs, targets);
        }
        return new Dataset
        {
            Name = $"{source.Name} (altered)", Source = source.Source, Format = source.Format, Task = source.Task,
            ClassNames = classNames ?? source.ClassNames, ExampleShape = source.ExampleShape, Vocabulary = source.Vocabulary,
            Train = Make(source.Train), Validation = Make(source.Validation), Test = Make(source.Test),
        };
    }

    /// <summary>
    /// 8×8 images with a bright bar near the left or the right edge, plus noise; the label says which side
    /// (0 = left, 1 = right). A horizontal flip must swap the label.
    /// </summary>
    public static Dataset Orientation(int train = 400, int validation = 200)
    {
        DataSplit Make(string name, int count, int seed)
        {
            var generator = new Generator((ulong)seed);
            var labels = randint(0, 2, [count], generator: generator, dtype: int64);
            var noise = rand([count, 1, 8, 8], generator: generator).mul(60);
            var column = arange(8).reshape(1, 1, 1, 8);
            var position = labels.reshape(count, 1, 1, 1).mul(5).add(1);                 // column 1 (left) or 6 (right)
            var bar = column.eq(position).to_type(float32).mul(190);
            return new DataSplit(name, noise.add(bar).clamp(0, 255).to_type(uint8), labels);
        }
        return new Dataset
        {
            Name = "orientation", Source = "synthetic", Format = DataFormat.ImageFolder, Task = TaskKind.Classification,
            ClassNames = ["left", "right"], ExampleShape = [1, 8, 8],
            Train = Make("train", train, 1), Validation = Make("validation", validation, 2), Test = Make("test", 50, 3),
        };
    }

    /// <summary>A regression whose target is far from zero: y = 50 + 10 · (a fixed linear function of 8 features) + noise.</summary>
    public static Dataset OffsetRegression()
    {
        var generator = new Generator(7);
        var weights = randn([8], generator: generator);
        DataSplit Make(string name, int count)
        {
            var x = randn([count, 8], generator: generator);
            var y = x.matmul(weights).div(Math.Sqrt(8)).mul(10).add(50).add(randn([count], generator: generator));
            return new DataSplit(name, x, y);
        }
        return new Dataset
        {
            Name = "offset regression", Source = "synthetic", Format = DataFormat.Csv, Task = TaskKind.Regression,
            ClassNames = [], ExampleShape = [8], Train = Make("train", 400), Validation = Make("validation", 200), Test = Make("test", 50),
        };
    }

    /// <summary>Lines drawn from a small fixed list of English words: plenty of structure for a causal model to find.</summary>
    static IEnumerable<string> WordLines(int count)
    {
        string[] words =
        [
            "apple", "banana", "cherry", "garden", "window", "little", "orange", "yellow", "purple", "summer", "winter", "spring",
            "market", "pocket", "rocket", "silver", "golden", "basket", "button", "candle", "dinner", "finger", "hammer", "ladder",
            "mirror", "number", "pencil", "rabbit", "saddle", "tomato", "turtle", "wallet", "wonder", "zipper", "bottle", "castle",
        ];
        var random = new Random(11);
        for (int i = 0; i < count; i++) yield return words[random.Next(words.Length)];
    }
}
