using System.Globalization;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Regularization;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Regularization;

/// <summary>
/// A user's own pipeline declaring some of stage 4's knobs (augment, weight_decay, dropout) and a test knob, on tiny
/// 1-D signals: a pattern (class 0: three ones; class 1: one, zero, one) placed at a position on a ring of 16 cells,
/// plus a little noise. When the training split only shows the patterns at the first few positions, a model cannot
/// know them elsewhere — unless it is shown shifted copies: the shift augmentation obviously helps.
/// </summary>
public static class RegularizationPipelines
{
    public const int Cells = 16;

    public static Dataset Rings(int trainPositions, int train = 64, int validation = 256, int seed = 5)
    {
        var random = new Random(seed);
        DataSplit Make(string name, int count, int positions)
        {
            var x = new float[count * Cells];
            var labels = new long[count];
            for (int i = 0; i < count; i++)
            {
                for (int c = 0; c < Cells; c++) x[i * Cells + c] = (float)(0.1 * (random.NextDouble() * 2 - 1));
                labels[i] = random.Next(2);
                int at = random.Next(positions);
                x[i * Cells + at % Cells] += 1f;
                x[i * Cells + (at + 1) % Cells] += labels[i] == 0 ? 1f : 0f;
                x[i * Cells + (at + 2) % Cells] += 1f;
            }
            return new DataSplit(name, tensor(x).reshape(count, Cells), tensor(labels));
        }
        return new Dataset
        {
            Name = "rings", Source = "synthetic", Format = DataFormat.Csv, Task = TaskKind.Classification, ClassNames = ["solid", "gap"],
            ExampleShape = [Cells], Train = Make("train", train, trainPositions), Validation = Make("validation", validation, Cells), Test = Make("test", 64, Cells),
        };
    }

    /// <summary>A random rotation of each signal around the ring (torch's generator: seeded); optionally the label flipped too, which breaks it.</summary>
    static Augmentation Shift(bool breakLabels) => (inputs, targets) =>
    {
        var shifts = randint(0, Cells, [inputs.shape[0]], dtype: int64);
        var index = arange(Cells, dtype: int64).unsqueeze(0).add(shifts.unsqueeze(1)).remainder(Cells);
        var shifted = inputs.gather(1, index);
        return (shifted, breakLabels ? targets.neg().add(1) : targets);
    };

    /// <summary>
    /// The user's pipeline: an MLP 16 → 64 → 2 with dropout before the output, AdamW with the weight_decay knob,
    /// the augment knob ("off", "shift", and "shift+flip" — here a shift that also flips the label when
    /// <paramref name="flipBreaksLabels"/>), and lr (AdamW's learning rate).
    /// </summary>
    /// <param name="augmentedLr">The rate when an augmentation is on (null: <paramref name="lr"/>): a lower one makes the augmentation slow to pay, as real augmentations are.</param>
    public static Pipeline Mlp(Dataset data, bool flipBreaksLabels = false, string lr = "0.01", string? augmentedLr = null) => Pipeline.FromKnobs(
        new KnobValues([
            new Knob(RegularizationKnobs.Augment, "off"), new Knob(RegularizationKnobs.WeightDecay, "0"),
            new Knob(RegularizationKnobs.Dropout, "0"), new Knob("lr", lr),
        ]),
        knobs => new Pipeline
        {
            Data = data,
            CreateModel = () => nn.Sequential(nn.Linear(Cells, 64), nn.ReLU(), nn.Dropout(knobs.Double(RegularizationKnobs.Dropout)), nn.Linear(64, 2)),
            Loss = (output, targets) => nn.functional.cross_entropy(output, targets),
            Transform = stored => stored,
            Augment = knobs[RegularizationKnobs.Augment] switch
            {
                "off" => null,
                "shift" => Shift(breakLabels: false),
                "shift+flip" => Shift(breakLabels: flipBreaksLabels),
                var other => throw new UnknownKnobException($"knob augment: expected off, shift or shift+flip, found '{other}'"),
            },
            CreateOptimizer = (parameters, _) => new OptimizerSetup(optim.AdamW(parameters,
                augmentedLr is not null && knobs[RegularizationKnobs.Augment] != "off" ? double.Parse(augmentedLr, CultureInfo.InvariantCulture) : knobs.Double("lr"),
                weight_decay: knobs.Double(RegularizationKnobs.WeightDecay))),
            Training = new TrainingConfig { BatchSize = 32 },
            Description = $"user MLP, {knobs}",
        });

    /// <summary>
    /// Recipe's MLP on 8×8 images whose label says on which side a bar is (left, right), with the augment knob, where
    /// "shift+flip" mirrors a random half of the batch left-right without swapping its label: a flip that breaks labels.
    /// </summary>
    public static Pipeline Orientation(Dataset data, InputNormalizer normalizer) => Pipeline.FromKnobs(
        new KnobValues([new Knob(RegularizationKnobs.Augment, "off")]),
        knobs => Pipeline.Default(data, normalizer, "mlp") with
        {
            Augment = knobs[RegularizationKnobs.Augment] == "shift+flip" ? MirrorHalfKeepingLabels : null,
        });

    static (Tensor, Tensor) MirrorHalfKeepingLabels(Tensor inputs, Tensor targets)
    {
        var flip = rand(inputs.shape[0]).lt(0.5); // torch's generator: seeded
        return (where(flip.reshape(-1, 1, 1, 1), inputs.flip(3), inputs), targets);
    }

    public static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
