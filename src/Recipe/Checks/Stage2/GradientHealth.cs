using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// The gradients of a few real training steps are sane: finite, reaching every layer (no weight tensor
/// whose gradient is exactly zero), not exploding, and the ReLU units mostly alive. "Exploding" is judged
/// against a control trained in the same check, not against a constant: the same model, loss and
/// optimizer on the same inputs standardized per feature. A large gradient that the task itself brings
/// (targets in the hundreds, Adam normalizing the step anyway) is in both runs; one that the inputs'
/// scale brings (raw 0–255 pixels, an unscaled column) is in the pipeline's run only.
/// </summary>
public sealed class GradientHealth : ICheck
{
    public static readonly Condition Finite = Condition.AtMost("non-finite values in the losses, gradients and weights", 0);
    /// <summary>
    /// Largest ratio, over weight tensors, of |grad|/|weight| in the pipeline's run to the same in the standardized-input control:
    /// "an order of magnitude more than with standardized inputs". Measured: raw 0–255 Fashion-MNIST pixels 59, normalized
    /// ones 0.28, an Adam MSE regression with targets around 500 and the bias at 0 0.93 (the task's scale is in both runs).
    /// </summary>
    public static readonly Condition NotExploding = Condition.AtMost("largest |gradient| / |weight| of a weight tensor, relative to a standardized-input control", 10);
    /// <summary>A weight tensor whose gradient is exactly zero in every step gets no signal at all (dead units, a detached path).</summary>
    public static readonly Condition NoSilentLayer = Condition.AtMost("weight tensors whose gradient was exactly 0 in every step", 0);
    /// <summary>Smallest over largest |grad|/|weight| across weight tensors: tiny means a layer barely gets the signal (a soft sign).</summary>
    public static readonly Condition NotVanishing = Condition.AtLeast("smallest / largest gradient-to-weight ratio across weight tensors", 1e-5, Verdict.Warn);
    /// <summary>A parameter with no gradient at all is not on the path from input to loss (an unused layer, a detached branch).</summary>
    public static readonly Condition EveryParameterLearns = Condition.AtMost("trainable parameter tensors that never got a gradient", 0, Verdict.Warn);
    /// <summary>A unit never positive on a probe batch learns nothing through its ReLU.</summary>
    public static readonly Condition FewDeadUnits = Condition.AtMost("share of ReLU units dead on a probe batch", 0.5, format: "P0");
    public static readonly Condition VeryFewDeadUnits = Condition.AtMost("share of ReLU units dead on a probe batch", 0.2, Verdict.Warn, "P0");

    public string Id => "gradient-health";
    public int Stage => 2;
    public string Hypothesis => "A few training steps give finite gradients that reach every layer, no larger than with standardized inputs, with few dead ReLU units.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [Finite, NotExploding, NoSilentLayer, NotVanishing, EveryParameterLearns, FewDeadUnits, VeryFewDeadUnits];

    public CheckOutcome Run(CheckContext context)
    {
        var recorder = new GradientRecorder();
        var run = context.Train(new RunSpec($"{Id}: a few steps of training", context.Options.HealthSteps) { Hooks = [recorder] });
        using var model = run.Model;
        var evidence = new Evidence().Number("steps", recorder.Steps);

        long nonFinite = recorder.NonFinite + run.Training.StepLosses.Count(l => !double.IsFinite(l));
        var weights = recorder.WeightRatios();
        double largest = weights.Values.DefaultIfEmpty(0).Max();
        double smallest = weights.Values.DefaultIfEmpty(0).Min();
        double spread = largest > 0 ? smallest / largest : 0;
        int silent = weights.Count(w => w.Value == 0);
        int unused = recorder.Ratios.Count(r => r.Value.Ratios.Count == 0);
        evidence.Number("non_finite_values", nonFinite).Number("largest_gradient_to_weight", largest)
            .Number("smallest_gradient_to_weight", smallest).Number("gradient_spread", spread)
            .Number("weight_tensors_with_zero_gradient", silent).Number("parameters_without_gradient", unused);
        evidence.Test(Finite, nonFinite);

        var control = ControlRatios(context);
        double relative = 0;
        if (control is null)
            evidence.Note("The model's input is not a float tensor (token ids), so there is no standardized-input control: exploding gradients were judged by the non-finite values only.");
        else
        {
            foreach (var (name, ratio) in weights)
                if (control.TryGetValue(name, out var reference))
                    relative = Math.Max(relative, reference > 0 ? ratio / reference : ratio > 0 ? double.PositiveInfinity : 0);
            evidence.Number("largest_control_gradient_to_weight", control.Values.DefaultIfEmpty(0).Max()).Number("largest_relative_to_control", relative);
            evidence.Test(NotExploding, double.IsNaN(relative) ? double.PositiveInfinity : relative);
        }
        evidence.Test(NoSilentLayer, silent);
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

        evidence.Table("gradient per parameter tensor (mean over the steps)", ["parameter", "|gradient| / |weight|", "standardized-input control", "steps with a gradient"],
            recorder.Ratios.Select(r => (IReadOnlyList<string>)[r.Key, r.Value.Ratios.Count > 0 ? Show.N(r.Value.Ratios.Average()) : "none",
                control is not null && control.TryGetValue(r.Key, out var c) ? Show.N(c) : "—", r.Value.Ratios.Count.ToString()]));
        if (weights.Count > 0)
            evidence.Picture(Charts.Bars("log10 |gradient| / |weight| per weight tensor", weights.Keys.ToList(),
                weights.Values.Select(w => Math.Log10(Math.Max(w, 1e-30))).ToList()),
                "Bars of similar height mean every layer learns at a similar pace; a bar far below the others is a layer the signal does not reach.");
        return CheckOutcome.FromConditions(evidence,
            $"{recorder.Steps} steps: {nonFinite} non-finite values, |grad|/|weight| from {Show.N(smallest)} to {Show.N(largest)}" +
            (control is null ? "" : $" (at most {Show.N(relative)}× the standardized-input control)") +
            $", {silent} weight tensors without signal, " +
            (units > 0 ? $"{dead} of {units} ReLU units dead" : "dead units not measured"),
            "Non-finite values: look for a division by zero (a zero std in the normalization), log of 0, or an overflowing exp. Exploding " +
            "against the control: the inputs are not scaled (normalize them, e.g. pixels to [0, 1] then by the mean and std). A weight tensor " +
            "without gradient or dead units: a layer the signal does not reach — check the init (large negative biases kill ReLUs), the depth " +
            "without normalization, and for detached tensors.");
    }

    /// <summary>
    /// The same steps with the pipeline's model input standardized per feature (mean and std of a probe of training inputs):
    /// |grad|/|weight| per weight tensor, or null when the model input is not a float tensor.
    /// </summary>
    static Dictionary<string, double>? ControlRatios(CheckContext context)
    {
        using var probe = CheckContext.First(context.Data.Train, context.Options.ProbeExamples, "gradient-control");
        Tensor mean, std;
        using (var scope = NewDisposeScope())
        {
            var x = context.Pipeline.Transform(probe.Inputs);
            if (!x.is_floating_point() || x.shape[0] < 2) return null;
            var spread = x.std(0);
            mean = x.mean([0]).MoveToOuterDisposeScope();
            std = where(spread.gt(1e-8), spread, ones_like(spread)).MoveToOuterDisposeScope(); // a constant feature stays 0, not 0/0
        }
        using (mean)
        using (std)
        {
            var recorder = new GradientRecorder();
            var run = context.Train(new RunSpec("gradient-health: standardized-input control", context.Options.HealthSteps)
            {
                Transform = stored => { using var x = context.Pipeline.Transform(stored); return x.sub(mean).div(std); },
                Hooks = [recorder],
            });
            run.Model.Dispose();
            return recorder.WeightRatios();
        }
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

        /// <summary>Mean |grad|/|weight| over the steps, per weight tensor (two or more dimensions) that got a gradient.</summary>
        public Dictionary<string, double> WeightRatios() => Ratios.Where(r => r.Value.IsWeight && r.Value.Ratios.Count > 0)
            .ToDictionary(r => r.Key, r => r.Value.Ratios.Average());

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
