using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// The gradients of a few real training steps are sane: finite, reaching every layer on a comparable
/// scale (nothing exploding or vanishing), and the ReLU units mostly alive.
/// </summary>
public sealed class GradientHealth : ICheck
{
    public static readonly Condition Finite = Condition.AtMost("non-finite values in the losses, gradients and weights", 0);
    /// <summary>|grad| / |weight| of one weight tensor in one step: Adam's steps are ~lr, plain SGD's lr × this; above 10 it explodes.</summary>
    public static readonly Condition NotExploding = Condition.AtMost("largest |gradient| / |weight| of a weight tensor", 10);
    /// <summary>Smallest over largest |grad|/|weight| across weight tensors: 1e-5 means a layer effectively gets no signal.</summary>
    public static readonly Condition NotVanishing = Condition.AtLeast("smallest / largest gradient-to-weight ratio across weight tensors", 1e-5);
    /// <summary>A parameter with no gradient at all is not on the path from input to loss (an unused layer, a detached branch).</summary>
    public static readonly Condition EveryParameterLearns = Condition.AtMost("trainable parameter tensors that never got a gradient", 0, Verdict.Warn);
    /// <summary>A unit never positive on a probe batch learns nothing through its ReLU.</summary>
    public static readonly Condition FewDeadUnits = Condition.AtMost("share of ReLU units dead on a probe batch", 0.5, format: "P0");
    public static readonly Condition VeryFewDeadUnits = Condition.AtMost("share of ReLU units dead on a probe batch", 0.2, Verdict.Warn, "P0");

    public string Id => "gradient-health";
    public int Stage => 2;
    public string Hypothesis => "A few training steps give finite gradients that reach every layer on a comparable scale (no exploding or vanishing), with few dead ReLU units.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [Finite, NotExploding, NotVanishing, EveryParameterLearns, FewDeadUnits, VeryFewDeadUnits];

    public CheckOutcome Run(CheckContext context)
    {
        var recorder = new GradientRecorder();
        var run = context.Train(new RunSpec($"{Id}: a few steps of training", context.Options.HealthSteps) { Hooks = [recorder] });
        using var model = run.Model;
        var evidence = new Evidence().Number("steps", recorder.Steps);

        long nonFinite = recorder.NonFinite + run.Training.StepLosses.Count(l => !double.IsFinite(l));
        var weights = recorder.Ratios.Where(r => r.Value.IsWeight && r.Value.Ratios.Count > 0)
            .Select(r => (Name: r.Key, Ratio: r.Value.Ratios.Average())).ToList();
        double largest = weights.Select(w => w.Ratio).DefaultIfEmpty(0).Max();
        double smallest = weights.Select(w => w.Ratio).DefaultIfEmpty(0).Min();
        double spread = largest > 0 ? smallest / largest : 0;
        int unused = recorder.Ratios.Count(r => r.Value.Ratios.Count == 0);
        evidence.Number("non_finite_values", nonFinite).Number("largest_gradient_to_weight", largest)
            .Number("smallest_gradient_to_weight", smallest).Number("gradient_spread", spread).Number("parameters_without_gradient", unused);
        evidence.Test(Finite, nonFinite);
        evidence.Test(NotExploding, double.IsFinite(largest) ? largest : double.PositiveInfinity);
        evidence.Test(NotVanishing, double.IsFinite(spread) ? spread : 0);
        evidence.Test(EveryParameterLearns, unused);

        var (units, dead) = DeadUnits(context, model);
        if (units > 0)
        {
            double share = (double)dead / units;
            evidence.Number("relu_units", units).Number("dead_relu_units", dead).Number("dead_share", share);
            evidence.Test(FewDeadUnits, share);
            evidence.Test(VeryFewDeadUnits, share);
        }
        else evidence.Note("No ReLU modules found (functional relu is invisible to hooks): dead units were not counted.");

        evidence.Table("gradient per parameter tensor (mean over the steps)", ["parameter", "|gradient| / |weight|", "steps with a gradient"],
            recorder.Ratios.Select(r => (IReadOnlyList<string>)[r.Key, r.Value.Ratios.Count > 0 ? Show.N(r.Value.Ratios.Average()) : "none", r.Value.Ratios.Count.ToString()]));
        if (weights.Count > 0)
            evidence.Picture(Charts.Bars("log10 |gradient| / |weight| per weight tensor", weights.Select(w => w.Name).ToList(),
                weights.Select(w => Math.Log10(Math.Max(w.Ratio, 1e-30))).ToList()),
                "Bars of similar height mean every layer learns at a similar pace; a bar far below the others is a layer the signal does not reach.");
        return CheckOutcome.FromConditions(evidence,
            $"{recorder.Steps} steps: {nonFinite} non-finite values, |grad|/|weight| from {Show.N(smallest)} to {Show.N(largest)}, " +
            (units > 0 ? $"{dead} of {units} ReLU units dead" : "dead units not measured"),
            "Non-finite values: look for a division by zero (a zero std in the normalization), log of 0, or an overflowing exp. Exploding: lower the " +
            "learning rate, normalize inputs and targets, or clip the gradient norm. Vanishing or dead units: a layer the signal does not reach — " +
            "check the init (large negative biases kill ReLUs), the depth without normalization, and for detached tensors.");
    }

    /// <summary>Runs a probe batch and counts ReLU channels that are never positive.</summary>
    static (long Units, long Dead) DeadUnits(CheckContext context, nn.Module<Tensor, Tensor> model)
    {
        long units = 0, dead = 0;
        var hooks = model.modules().OfType<ReLU>()
            .Select(relu => relu.register_forward_hook((module, input, output) =>
            {
                using var scope = NewDisposeScope();
                var perUnit = output.dim() > 1 ? output.transpose(0, 1).flatten(1) : output.unsqueeze(0);   // (units, values)
                units += perUnit.shape[0];
                dead += perUnit.gt(0).any(1).logical_not().sum().item<long>();
                return output;
            })).ToList();
        try
        {
            using var probe = CheckContext.First(context.Data.Train, context.Options.ProbeExamples, "relu-probe");
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.eval();
            model.call(context.Pipeline.Transform(probe.Inputs));
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
        }
        return (units, dead);
    }

    /// <summary>After every step (the gradients are still on the parameters), records |grad|/|weight| per tensor and non-finite values.</summary>
    sealed class GradientRecorder : ITrainingHook
    {
        public Dictionary<string, (bool IsWeight, List<double> Ratios)> Ratios { get; } = [];
        public long NonFinite { get; private set; }
        public int Steps { get; private set; }

        public StopRequest? OnStepEnd(TrainingContext context, StepInfo step)
        {
            Steps++;
            using var scope = NewDisposeScope();
            foreach (var (name, parameter) in context.Model.named_parameters())
            {
                if (!parameter.requires_grad) continue;
                if (!Ratios.TryGetValue(name, out var entry)) Ratios[name] = entry = (parameter.dim() >= 2, []);
                NonFinite += parameter.isfinite().logical_not().sum().item<long>();
                if (parameter.grad is not { } grad) continue;
                NonFinite += grad.isfinite().logical_not().sum().item<long>();
                double g = grad.to_type(float64).norm().item<double>(), w = parameter.to_type(float64).norm().item<double>();
                entry.Ratios.Add(g / Math.Max(w, 1e-12)); // 0 when the signal does not reach the tensor
            }
            return null;
        }
    }
}
