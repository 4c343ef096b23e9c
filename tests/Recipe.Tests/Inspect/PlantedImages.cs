using Recipe.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Inspect;

/// <summary>How a planted near duplicate differs from its source.</summary>
public enum Change { Noise, Shift1, Shift2, Brighter, Darker, ShiftAndNoise, DarkerAndNoise, ShiftAndBrighter }

/// <summary>A planted example: where it is, which clean example it copies (or null), and what was done.</summary>
public sealed record Plant(string Split, int Index, string? SourceSplit, int SourceIndex, string What);

/// <summary>
/// A copy of real Fashion-MNIST with defects planted at known places: planted examples are appended
/// to the end of their split, so every clean example keeps its index and every plant's index is known.
/// </summary>
public sealed class PlantedImages(Dataset data, IReadOnlyList<Plant> plants) : IDisposable
{
    public Dataset Data { get; } = data;
    public IReadOnlyList<Plant> Plants { get; } = plants;

    public IEnumerable<Plant> Of(string what) => Plants.Where(p => p.What.StartsWith(what, StringComparison.Ordinal));

    public void Dispose() => Data.Dispose();

    /// <summary>A builder over clean splits (each cut to at most <paramref name="perSplit"/> examples).</summary>
    public static Builder From(Dataset clean, int perSplit = int.MaxValue) => new(clean, perSplit);

    public sealed class Builder
    {
        readonly Dataset _clean;
        readonly Dictionary<string, List<byte[]>> _added = new() { ["train"] = [], ["validation"] = [], ["test"] = [] };
        readonly Dictionary<string, List<long>> _labels = new() { ["train"] = [], ["validation"] = [], ["test"] = [] };
        readonly Dictionary<string, int> _cleanCount;
        readonly List<Plant> _plants = [];
        readonly Random _random = new(7);
        readonly int _side;

        internal Builder(Dataset clean, int perSplit)
        {
            _clean = clean;
            _cleanCount = clean.Splits.ToDictionary(s => s.Name, s => Math.Min(perSplit, s.Count));
            _side = (int)clean.ExampleShape[1];
        }

        public int CleanCount(string split) => _cleanCount[split];

        public byte[] Image(string split, int index) => _clean.Split(split).Inputs[index].contiguous().data<byte>().ToArray();
        public long Label(string split, int index) => _clean.Split(split).Targets[index].item<long>();

        /// <summary>Appends an image to a split and records what it is.</summary>
        public Plant Add(string split, byte[] pixels, long label, string what, string? sourceSplit = null, int sourceIndex = -1)
        {
            _added[split].Add(pixels);
            _labels[split].Add(label);
            var plant = new Plant(split, _cleanCount[split] + _added[split].Count - 1, sourceSplit, sourceIndex, what);
            _plants.Add(plant);
            return plant;
        }

        public Plant ExactCopy(string fromSplit, int from, string toSplit, long? label = null, string what = "exact") =>
            Add(toSplit, Image(fromSplit, from), label ?? Label(fromSplit, from), what, fromSplit, from);

        public Plant NearCopy(string fromSplit, int from, string toSplit, Change change, long? label = null, string what = "near") =>
            Add(toSplit, Apply(Image(fromSplit, from), change), label ?? Label(fromSplit, from), $"{what}:{change}", fromSplit, from);

        public Plant Constant(string split, byte value, long label) =>
            Add(split, Enumerable.Repeat(value, _side * _side).ToArray(), label, "blank");

        public byte[] Apply(byte[] pixels, Change change) => change switch
        {
            Change.Noise => Noise(pixels, 0.08),
            Change.Shift1 => Shift(pixels, 1, 0),
            Change.Shift2 => Shift(pixels, -1, 2),
            Change.Brighter => Affine(pixels, 1.0, 30),
            Change.Darker => Affine(pixels, 0.75, 0),
            Change.ShiftAndNoise => Noise(Shift(pixels, 0, -2), 0.06),
            Change.DarkerAndNoise => Noise(Affine(pixels, 0.8, 0), 0.06),
            Change.ShiftAndBrighter => Affine(Shift(pixels, 2, 1), 1.1, 10),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        /// <summary>Gaussian noise whose deviation is a share of the image's own (small relative to its content:
        /// 0.08 is about 7 gray levels on a typical Fashion-MNIST image).</summary>
        byte[] Noise(byte[] pixels, double share)
        {
            double mean = pixels.Average(p => (double)p);
            double sigma = share * Math.Sqrt(pixels.Average(p => (p - mean) * (p - mean)));
            return pixels.Select(p => Noisy(p, sigma)).ToArray();
        }

        byte Noisy(byte p, double sigma)
        {
            double u1 = 1.0 - _random.NextDouble(), u2 = _random.NextDouble();
            double gaussian = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Clamp(p + sigma * gaussian);
        }

        byte[] Shift(byte[] pixels, int dy, int dx)
        {
            var moved = new byte[pixels.Length];
            for (int y = 0; y < _side; y++)
                for (int x = 0; x < _side; x++)
                {
                    int sy = y - dy, sx = x - dx;
                    if (sy >= 0 && sy < _side && sx >= 0 && sx < _side) moved[y * _side + x] = pixels[sy * _side + sx];
                }
            return moved;
        }

        static byte[] Affine(byte[] pixels, double gain, double offset) => pixels.Select(p => Clamp(p * gain + offset)).ToArray();

        static byte Clamp(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

        public PlantedImages Build()
        {
            DataSplit Make(DataSplit clean)
            {
                int keep = _cleanCount[clean.Name];
                var extra = _added[clean.Name];
                var cleanInputs = clean.Inputs.narrow(0, 0, keep);
                var cleanTargets = clean.Targets.narrow(0, 0, keep);
                var inputs = extra.Count == 0 ? cleanInputs.clone()
                    : cat([cleanInputs, tensor(extra.SelectMany(b => b).ToArray(), dtype: uint8).reshape(extra.Count, 1, _side, _side)], 0);
                var targets = extra.Count == 0 ? cleanTargets.clone() : cat([cleanTargets, tensor(_labels[clean.Name].ToArray())], 0);
                var sources = clean.SourceIndices.Take(keep).Concat(Enumerable.Range(0, extra.Count).Select(i => -1L - i)).ToArray();
                return new DataSplit(clean.Name, inputs, targets, null, sources);
            }
            var data = new Dataset
            {
                Name = _clean.Name + " (planted)",
                Source = _clean.Source,
                Format = _clean.Format,
                Task = _clean.Task,
                ClassNames = _clean.ClassNames,
                ExampleShape = _clean.ExampleShape,
                Train = Make(_clean.Train),
                Validation = Make(_clean.Validation),
                Test = Make(_clean.Test),
            };
            return new PlantedImages(data, _plants);
        }
    }
}
