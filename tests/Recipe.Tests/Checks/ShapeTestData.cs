using Recipe.Checks;
using Recipe.Data;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Checks;

/// <summary>
/// Data and pipelines in the shapes user pipelines take and Recipe's own do not: four classes where a flip breaks
/// only two labels, image regression, one-hot text, flattened images. Made fresh per call (tiny).
/// </summary>
public static class ShapeTestData
{
    /// <summary>8×8 images with a bright bar near one side plus noise; labels 0 left, 1 right, 2 top, 3 bottom. A left-right flip swaps 0 and 1 only.</summary>
    public static Dataset FourSides(int train = 600, int validation = 300)
    {
        DataSplit Make(string name, int count, int seed)
        {
            var generator = new Generator((ulong)seed);
            var labels = randint(0, 4, [count], generator: generator, dtype: int64);
            var noise = rand([count, 1, 8, 8], generator: generator).mul(60);
            var column = arange(8).reshape(1, 1, 1, 8);
            var row = arange(8).reshape(1, 1, 8, 1);
            var label = labels.reshape(count, 1, 1, 1);
            var bar = column.eq(1).logical_and(label.eq(0))
                .logical_or(column.eq(6).logical_and(label.eq(1)))
                .logical_or(row.eq(1).logical_and(label.eq(2)))
                .logical_or(row.eq(6).logical_and(label.eq(3)));
            return new DataSplit(name, noise.add(bar.to_type(float32).mul(190)).clamp(0, 255).to_type(uint8), labels);
        }
        return new Dataset
        {
            Name = "four sides", Source = "synthetic", Format = DataFormat.ImageFolder, Task = TaskKind.Classification,
            ClassNames = ["left", "right", "top", "bottom"], ExampleShape = [1, 8, 8],
            Train = Make("train", train, 11), Validation = Make("validation", validation, 12), Test = Make("test", 50, 13),
        };
    }

    /// <summary>Image regression: 8×8 images with a vertical bar in column 1–6; the float target is the column.</summary>
    public static Dataset BarColumn(int train = 400, int validation = 200)
    {
        DataSplit Make(string name, int count, int seed)
        {
            var generator = new Generator((ulong)seed);
            var columns = randint(1, 7, [count], generator: generator, dtype: int64);
            var noise = rand([count, 1, 8, 8], generator: generator).mul(60);
            var bar = arange(8).reshape(1, 1, 1, 8).eq(columns.reshape(count, 1, 1, 1)).to_type(float32).mul(190);
            return new DataSplit(name, noise.add(bar).clamp(0, 255).to_type(uint8), columns.to_type(float32));
        }
        return new Dataset
        {
            Name = "bar column", Source = "synthetic", Format = DataFormat.ImageFolder, Task = TaskKind.Regression,
            ClassNames = [], ExampleShape = [1, 8, 8],
            Train = Make("train", train, 21), Validation = Make("validation", validation, 22), Test = Make("test", 50, 23),
        };
    }

    /// <summary>Recipe's default MLP pipeline on the given images, normalized with their training statistics.</summary>
    public static Pipeline ImagePipeline(Dataset data) => Pipeline.Default(data, InputNormalizer.FitTo(data), "mlp");

    /// <summary>
    /// Text as one-hot vectors (N, T, V) into a per-position linear layer (a bigram model), with the usual sequence loss;
    /// <paramref name="transform"/> replaces the one-hot encoding (a fault), <paramref name="loss"/> the loss.
    /// </summary>
    public static Pipeline OneHotWords(Func<Tensor, Tensor>? transform = null, LossFunction? loss = null)
    {
        var words = CheckTestData.Words;
        long size = words.Vocabulary!.Size;
        return new Pipeline
        {
            Data = words,
            CreateModel = () => nn.Linear(size, size),
            Loss = loss ?? ((output, targets) => nn.functional.cross_entropy(output.flatten(0, 1), targets.flatten(), ignore_index: -1)),
            Transform = transform ?? (stored => nn.functional.one_hot(stored, size).to_type(float32)),
            CreateOptimizer = (parameters, _) => new OptimizerSetup(new FusedAdam(parameters, 1e-2)),
            Training = new TrainingConfig { BatchSize = 32 },
            Description = "one-hot characters into a linear layer (a bigram)",
        };
    }

    /// <summary>
    /// Text whose token ids enter the model as numbers (N, T, 1) into a per-position linear layer: standardized with the
    /// training ids' mean and std, or raw (a scale bug).
    /// </summary>
    public static Pipeline IdsAsNumbers(bool standardized)
    {
        var words = CheckTestData.Words;
        long size = words.Vocabulary!.Size;
        float mean, std;
        using (var ids = words.Train.Inputs.to_type(float32))
        {
            mean = ids.mean().item<float>();
            std = ids.std().item<float>();
        }
        return OneHotWords() with
        {
            CreateModel = () => nn.Linear(1, size),
            Transform = standardized ? stored => stored.to_type(float32).sub(mean).div(std).unsqueeze(-1) : stored => stored.to_type(float32).unsqueeze(-1),
        };
    }

    static readonly Lazy<Dataset> VariedWordsData = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"recipe-varied-words-{Environment.ProcessId}.txt");
        // No letter twice in a word: a context-free (bigram) model can then memorize any one line, as overfit-one-batch asks.
        string[] words = ["a", "to", "cat", "sky", "lemon", "garden", "planet", "kingdom"];
        File.WriteAllLines(path, Enumerable.Range(0, 200).Select(i => words[i * 7 % words.Length]));
        try { return TextLinesDataset.Read(path); }
        finally { File.Delete(path); }
    });

    /// <summary>One-hot text as in <see cref="OneHotWords"/>, on lines of many lengths (every batch holds padded targets, -1), with the final bias from the token prior.</summary>
    public static Pipeline OneHotVariedWords(LossFunction? loss = null)
    {
        var data = VariedWordsData.Value;
        long size = data.Vocabulary!.Size;
        return OneHotWords(loss: loss) with
        {
            Data = data,
            // The final bias from the token prior, as the recipe advises (the words pipeline does the same).
            CreateModel = () =>
            {
                var linear = nn.Linear(size, size);
                using (no_grad()) linear.bias!.copy_(Recipe.Models.FinalLayerInit.PriorBias(data.Train, TaskKind.Sequence, size));
                return linear;
            },
            Transform = stored => nn.functional.one_hot(stored, size).to_type(float32),
        };
    }
}
