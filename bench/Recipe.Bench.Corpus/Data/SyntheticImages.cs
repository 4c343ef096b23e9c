using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Bench.Corpus.Data;

/// <summary>
/// Small drawn images with a known rule, made with a fixed System.Random per split so every run sees the same
/// data: arrows that point one of four ways (a flip changes the class), coloured blobs on a tinted background
/// (the channel order matters), and a bright spot whose column is a regression target.
/// </summary>
public static class SyntheticImages
{
    public static readonly string[] ArrowClasses = ["left", "right", "up", "down"];

    /// <summary>12×12 grey arrows: a shaft with a 3-pixel head at one end; the class is where the head points.</summary>
    public static Dataset Arrows(int train = 800, int validation = 300) => Build("arrows", ArrowClasses, [1, 12, 12], train, validation,
        (random, pixels) =>
        {
            int label = random.Next(4);
            int across = random.Next(3, 9), start = random.Next(1, 3), end = random.Next(9, 11);
            for (int along = start; along <= end; along++) Set(pixels, 12, label, along, across, 170);
            int tip = label is 0 or 2 ? start : end;           // left/up: the head at the low end
            int back = label is 0 or 2 ? 1 : -1;
            for (int k = -1; k <= 1; k++) Set(pixels, 12, label, tip + back, across + k, 250);
            Noise(random, pixels, 40);
            return label;
        });

    /// <summary>3×16×16 colour images: a 5×5 blob of red, green or blue on a background tinted (200, 120, 40).</summary>
    public static Dataset ColourBlobs(int train = 900, int validation = 300) => Build("colour blobs", ["red", "green", "blue"], [3, 16, 16], train, validation,
        (random, pixels) =>
        {
            int label = random.Next(3);
            int[] tint = [200, 120, 40];
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 256; i++) pixels[c * 256 + i] = tint[c];
            int row = random.Next(0, 11), column = random.Next(0, 11);
            for (int r = row; r < row + 5; r++)
                for (int q = column; q < column + 5; q++)
                    for (int c = 0; c < 3; c++)
                        pixels[c * 256 + r * 16 + q] = c == label ? 255 : tint[c] / 3;
            Noise(random, pixels, 30);
            return label;
        });

    /// <summary>16×16 grey images with a bright 3×3 spot; the target is the spot's column (1..14, float).</summary>
    public static Dataset SpotColumn(int train = 900, int validation = 300)
    {
        DataSplit Make(string name, int count, int seed)
        {
            var random = new Random(seed);
            var x = new byte[count * 256];
            var y = new float[count];
            for (int n = 0; n < count; n++)
            {
                var pixels = new int[256];
                int row = random.Next(1, 15), column = random.Next(1, 15);
                for (int r = row - 1; r <= row + 1; r++)
                    for (int q = column - 1; q <= column + 1; q++) pixels[r * 16 + q] = 220;
                Noise(random, pixels, 50);
                for (int i = 0; i < 256; i++) x[n * 256 + i] = (byte)Math.Clamp(pixels[i], 0, 255);
                y[n] = column;
            }
            return new DataSplit(name, tensor(x, dtype: uint8).reshape(count, 1, 16, 16), tensor(y, dtype: float32));
        }
        return new Dataset
        {
            Name = "spot column", Source = "synthetic", Format = DataFormat.ImageFolder, Task = TaskKind.Regression,
            ClassNames = [], ExampleShape = [1, 16, 16],
            Train = Make("train", train, 101), Validation = Make("validation", validation, 102), Test = Make("test", 100, 103),
        };
    }

    static Dataset Build(string name, string[] classes, long[] shape, int train, int validation, Func<Random, int[], int> draw)
    {
        int size = (int)(shape[0] * shape[1] * shape[2]);
        DataSplit Make(string split, int count, int seed)
        {
            var random = new Random(seed);
            var x = new byte[count * size];
            var y = new long[count];
            for (int n = 0; n < count; n++)
            {
                var pixels = new int[size];
                y[n] = draw(random, pixels);
                for (int i = 0; i < size; i++) x[n * size + i] = (byte)Math.Clamp(pixels[i], 0, 255);
            }
            return new DataSplit(split, tensor(x, dtype: uint8).reshape([count, .. shape]), tensor(y, dtype: int64));
        }
        int baseSeed = name.Length * 1000;
        return new Dataset
        {
            Name = name, Source = "synthetic", Format = DataFormat.ImageFolder, Task = TaskKind.Classification,
            ClassNames = classes, ExampleShape = shape,
            Train = Make("train", train, baseSeed + 1), Validation = Make("validation", validation, baseSeed + 2), Test = Make("test", 100, baseSeed + 3),
        };
    }

    /// <summary>Writes an arrow pixel: horizontal arrows (left/right) run along columns, vertical ones along rows.</summary>
    static void Set(int[] pixels, int side, int label, int along, int across, int value)
    {
        if (along < 0 || along >= side || across < 0 || across >= side) return;
        int index = label <= 1 ? across * side + along : along * side + across;
        pixels[index] = Math.Max(pixels[index], value);
    }

    static void Noise(Random random, int[] pixels, int amplitude)
    {
        for (int i = 0; i < pixels.Length; i++) pixels[i] += random.Next(amplitude);
    }
}
