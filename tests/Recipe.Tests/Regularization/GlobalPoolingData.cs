using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Tests.Regularization;

/// <summary>
/// Grey images for the global-pooling rung, one of each kind the recipe's advice tells apart: a label in what a shape is
/// (a horizontal or a vertical bar) wherever it is, where the training split shows the bars only in one corner — a head
/// with a weight per position cannot know them elsewhere, a pooled one reads them anywhere; and a label in where a shape
/// is (a square in the upper or the lower middle, far from every edge), which pooling over the image erases.
/// </summary>
public static class GlobalPoolingData
{
    /// <summary>Horizontal vs vertical 3-pixel bars; training bars in the top-left corner only, validation bars anywhere.</summary>
    public static Dataset Bars(int side = 16, int train = 128, int validation = 256) =>
        Images("bars", ["horizontal", "vertical"], side, train, validation, (random, label, split) =>
        {
            int span = split == "train" ? 4 : side - 5;
            int row = 1 + random.Next(span), column = 1 + random.Next(span);
            return label == 0 ? [(row, column), (row, column + 1), (row, column + 2)] : [(row, column), (row + 1, column), (row + 2, column)];
        });

    /// <summary>A 2×2 square in the upper or the lower middle of a 32×32 image, at least 10 pixels from every edge.</summary>
    public static Dataset Halves(int train = 128, int validation = 256) =>
        Images("halves", ["upper", "lower"], 32, train, validation, (random, label, _) =>
        {
            int row = (label == 0 ? 10 : 18) + random.Next(4), column = 10 + random.Next(11);
            return [(row, column), (row, column + 1), (row + 1, column), (row + 1, column + 1)];
        });

    static Dataset Images(string name, string[] classes, int side, int train, int validation, Func<Random, int, string, (int Row, int Column)[]> draw)
    {
        DataSplit Make(string split, int count, int seed)
        {
            var random = new Random(seed);
            var pixels = new byte[count * side * side];
            var labels = new long[count];
            for (int i = 0; i < count; i++)
            {
                labels[i] = random.Next(classes.Length);
                for (int p = 0; p < side * side; p++) pixels[i * side * side + p] = (byte)random.Next(20);
                foreach (var (row, column) in draw(random, (int)labels[i], split)) pixels[i * side * side + row * side + column] = 230;
            }
            return new DataSplit(split, tensor(pixels).reshape(count, 1, side, side), tensor(labels));
        }
        return new Dataset
        {
            Name = name, Source = "synthetic", Format = DataFormat.ImageFolder, Task = TaskKind.Classification, ClassNames = classes,
            ExampleShape = [1, side, side], Train = Make("train", train, 21), Validation = Make("validation", validation, 22), Test = Make("test", 64, 23),
        };
    }
}
