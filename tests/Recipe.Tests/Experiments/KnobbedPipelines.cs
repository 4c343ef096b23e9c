using System.Globalization;
using Recipe.Checks;
using Recipe.Data;
using Recipe.Models;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Tests.Experiments;

/// <summary>
/// A user's own pipeline with knobs, as the library API builds one: an MLP whose hidden width, learning rate and a
/// label that changes nothing are knobs. XOR data: one hidden unit cannot fit it, many can.
/// </summary>
public static class KnobbedPipelines
{
    /// <summary>
    /// Label = the two coordinates have the same sign (XOR of the signs); uniform points in [-1, 1]². With
    /// <paramref name="flipValidation"/> the validation labels are the opposite: fitting the training data better makes
    /// the validation loss worse (the fault a "never worse on validation" rule must catch). With
    /// <paramref name="trainNoise"/>, that share of the training labels (chosen at random) is wrong, validation and test
    /// clean: a model that learns fast finds the rule first and then memorizes the wrong labels, so its validation loss
    /// falls, bottoms out and climbs again within a short trial.
    /// </summary>
    public static Dataset Xor(int train = 512, int validation = 256, int seed = 4, bool flipValidation = false, double trainNoise = 0)
    {
        var generator = new Generator((ulong)seed);
        DataSplit Make(string name, int count, double noise = 0)
        {
            var x = rand([count, 2], generator: generator).mul(2).sub(1);
            var y = x[.., 0].mul(x[.., 1]).gt(0).to_type(int64);
            if (noise > 0) y = y.add(rand([count], generator: generator).lt(noise).to_type(int64)).remainder(2);
            return new DataSplit(name, x, y);
        }
        return new Dataset
        {
            Name = "xor", Source = "synthetic", Format = DataFormat.Csv, Task = TaskKind.Classification, ClassNames = ["different", "same"],
            ExampleShape = [2], Train = Make("train", train, trainNoise), Validation = flipValidation ? Flipped(Make("validation", validation)) : Make("validation", validation),
            Test = Make("test", validation),
        };
    }

    static DataSplit Flipped(DataSplit split) => new(split.Name, split.Inputs, split.Targets.neg().add(1));

    /// <summary>The user's pipeline from knob values: width (hidden units), lr (Adam), and tag (changes nothing).</summary>
    public static Pipeline Mlp(Dataset data, int width, double lr) => Pipeline.FromKnobs(
        new KnobValues([new Knob("width", width.ToString(CultureInfo.InvariantCulture)), new Knob("lr", KnobValues.Text(lr)), new Knob("tag", "a")]),
        knobs => new Pipeline
        {
            Data = data,
            CreateModel = () =>
            {
                var model = new Mlp(2, [knobs.Int("width")], 2);
                FinalLayerInit.FromTargets(model, data);
                return model;
            },
            Loss = (output, targets) => nn.functional.cross_entropy(output, targets),
            Transform = stored => stored,
            CreateOptimizer = (parameters, _) => new OptimizerSetup(new FusedAdam(parameters, knobs.Double("lr"))),
            Training = new TrainingConfig { BatchSize = 64 },
            Description = $"user MLP width {knobs["width"]}, Adam lr {knobs["lr"]}",
        });

    /// <summary>
    /// The same MLP with a <c>delay_ms</c> knob that makes every forward pass sleep that long: a rung whose step is
    /// measurably costlier, whatever the machine, for the rules that predict a trial's time from a measured step.
    /// </summary>
    public static Pipeline SlowableMlp(Dataset data, int width, double lr) => Pipeline.FromKnobs(
        new KnobValues([new Knob("width", width.ToString(CultureInfo.InvariantCulture)), new Knob("lr", KnobValues.Text(lr)), new Knob("delay_ms", "0")]),
        knobs =>
        {
            var plain = Mlp(data, knobs.Int("width"), knobs.Double("lr"));
            return plain with
            {
                CreateModel = () => new Sleepy(plain.CreateModel(), knobs.Int("delay_ms")),
                Description = $"user MLP width {knobs["width"]}, Adam lr {knobs["lr"]}, {knobs["delay_ms"]} ms per forward",
            };
        });

    sealed class Sleepy : nn.Module<Tensor, Tensor>, IHasOutputLayer
    {
        readonly nn.Module<Tensor, Tensor> _inner;
        readonly int _delayMs;

        public Sleepy(nn.Module<Tensor, Tensor> inner, int delayMs) : base(nameof(Sleepy))
        {
            _inner = inner;
            _delayMs = delayMs;
            RegisterComponents();
        }

        public TorchSharp.Modules.Linear Output => ((IHasOutputLayer)_inner).Output;

        public override Tensor forward(Tensor x)
        {
            if (_delayMs > 0) Thread.Sleep(_delayMs);
            return _inner.call(x);
        }
    }
}
