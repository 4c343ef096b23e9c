using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Bench.Corpus.Data;

/// <summary>
/// 1-D time series of 96 samples, stored (N, 1, 96) float32 as a sensor log would be (in millivolts, offset
/// 500): four wave shapes at random frequency, phase and amplitude plus noise; or, for regression, a sine
/// whose frequency (cycles per window) is the target.
/// </summary>
public static class Signals
{
    public const int Length = 96;
    public static readonly string[] Shapes = ["sine", "square", "sawtooth", "triangle"];

    public static Dataset WaveShapes(int train = 1000, int validation = 300) => Build("wave shapes", TaskKind.Classification, train, validation,
        (random, t, phase, cycles) =>
        {
            int shape = random.Next(4);
            double u = (t * cycles / Length + phase) % 1.0;
            double value = shape switch
            {
                0 => Math.Sin(2 * Math.PI * u),
                1 => u < 0.5 ? 1 : -1,
                2 => 2 * u - 1,
                _ => 1 - 4 * Math.Abs(u - 0.5),
            };
            return (value, shape);
        });

    public static Dataset SineFrequency(int train = 1000, int validation = 300) => Build("sine frequency", TaskKind.Regression, train, validation,
        (_, t, phase, cycles) => (Math.Sin(2 * Math.PI * (t * cycles / Length + phase)), cycles));

    /// <summary>draw(random, t, phase, cycles) → (value at t, target); called with t = 0 first, when the target is fixed per series.</summary>
    static Dataset Build(string name, TaskKind task, int train, int validation, Func<Random, int, double, double, (double Value, double Target)> draw)
    {
        DataSplit Make(string split, int count, int seed)
        {
            var random = new Random(seed);
            var x = new float[count * Length];
            var y = new double[count];
            for (int n = 0; n < count; n++)
            {
                double phase = random.NextDouble(), cycles = 2 + 6 * random.NextDouble(), amplitude = 80 + 120 * random.NextDouble();
                var shapeRandom = new Random(random.Next());
                int shapeSeed = shapeRandom.Next();
                for (int t = 0; t < Length; t++)
                {
                    var (value, target) = draw(new Random(shapeSeed), t, phase, cycles); // same shape for every t of a series
                    x[n * Length + t] = (float)(500 + amplitude * value + 15 * (random.NextDouble() - 0.5));
                    y[n] = target;
                }
            }
            var targets = task == TaskKind.Classification
                ? tensor(y.Select(v => (long)v).ToArray(), dtype: int64)
                : tensor(y.Select(v => (float)v).ToArray(), dtype: float32);
            return new DataSplit(split, tensor(x, dtype: float32).reshape(count, 1, Length), targets);
        }
        return new Dataset
        {
            Name = name, Source = "synthetic", Format = DataFormat.Csv, Task = task,
            ClassNames = task == TaskKind.Classification ? Shapes : [], ExampleShape = [1, Length],
            Train = Make("train", train, 201), Validation = Make("validation", validation, 202), Test = Make("test", 100, 203),
        };
    }
}
