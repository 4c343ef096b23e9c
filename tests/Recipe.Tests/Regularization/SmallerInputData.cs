using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Tests.Regularization;

/// <summary>
/// Grey images for the smaller-input rung, one of each kind the recipe's advice tells apart: a label in coarse structure
/// (which quadrant is brighter) under strong per-pixel noise, where 2×2 averaging keeps the signal and quarters the noise
/// a model can memorise; and a label in one-pixel detail (the phase of a checkerboard), which 2×2 averaging erases
/// (every 2×2 block of either phase holds two bright pixels).
/// </summary>
public static class SmallerInputData
{
    /// <summary>Four classes: the quadrant <paramref name="lift"/> grey levels brighter than the rest, under uniform noise of ±<paramref name="noise"/>.</summary>
    public static Dataset Quadrants(int side = 16, int train = 64, int validation = 512, double lift = 24, double noise = 80) =>
        Images("quadrants", ["top-left", "top-right", "bottom-left", "bottom-right"], side, train, validation, (labels, count) =>
        {
            var rows = arange(side).reshape(1, 1, side, 1).ge(side / 2).to_type(int64);     // 0: top half, 1: bottom half
            var columns = arange(side).reshape(1, 1, 1, side).ge(side / 2).to_type(int64);  // 0: left half, 1: right half
            var quadrant = rows.mul(2).add(columns);                                        // (1, 1, side, side)
            return quadrant.eq(labels.reshape(count, 1, 1, 1)).to_type(float32).mul(lift);
        }, noise);

    /// <summary>Two classes: the phase of a one-pixel checkerboard <paramref name="contrast"/> grey levels deep, under uniform noise of ±<paramref name="noise"/>.</summary>
    public static Dataset Checkerboards(int side = 16, int train = 64, int validation = 512, double contrast = 40, double noise = 40) =>
        Images("checkerboards", ["even", "odd"], side, train, validation, (labels, count) =>
        {
            var parity = arange(side).reshape(1, 1, side, 1).add(arange(side).reshape(1, 1, 1, side)).remainder(2); // (r + c) mod 2
            return parity.eq(labels.reshape(count, 1, 1, 1)).to_type(float32).mul(contrast);
        }, noise);

    static Dataset Images(string name, string[] classes, int side, int train, int validation, Func<Tensor, int, Tensor> pattern, double noise)
    {
        DataSplit Make(string split, int count, int seed)
        {
            using var scope = NewDisposeScope();
            var generator = new Generator((ulong)seed);
            var labels = randint(0, classes.Length, [count], generator: generator, dtype: int64);
            var pixels = rand([count, 1, side, side], generator: generator).mul(2 * noise).sub(noise).add(128).add(pattern(labels, count));
            return new DataSplit(split, pixels.clamp(0, 255).to_type(uint8).MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
        }
        return new Dataset
        {
            Name = name, Source = "synthetic", Format = DataFormat.ImageFolder, Task = TaskKind.Classification, ClassNames = classes,
            ExampleShape = [1, side, side], Train = Make("train", train, 11), Validation = Make("validation", validation, 12), Test = Make("test", 64, 13),
        };
    }
}
