using Recipe.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Verify decreasing training loss: over the short run the training loss goes down, and a model with a
/// little more capacity reaches a lower training loss in the same steps (at this stage the model should
/// be underfitting). The loss curve only says *that* learning is slow; a probe of one optimizer step says
/// why when the optimizer's bookkeeping is broken, with an all-or-nothing margin instead of a loss ratio
/// near its limit: a gradient the optimizer never clears (it accumulates over the steps; issue 10 saw such a
/// pipeline's loss creep down to 93% of its start, against a 90% limit) or a step that moves none of the
/// model's weights (an optimizer built over other parameters).
/// </summary>
public sealed class LossDecreases : ICheck
{
    /// <summary>Mean batch loss over the last tenth of the run, as a share of the first tenth.</summary>
    public static readonly Condition Decreases = Condition.AtMost("training loss over the last 10% of steps, as a share of the first 10%", 0.9, format: "P0");
    /// <summary>Both measured on a fixed training subset (not on noisy batches) after the same number of steps.</summary>
    public static readonly Condition CapacityHelps = Condition.AtMost("training loss of the larger model, as a share of the model's after as many steps", 1.0, Verdict.Warn, "P0");

    /// <summary>zero_grad must leave no gradient behind (zeros or none); anything else is added to the next step's gradient.</summary>
    public static readonly Condition GradientsCleared = Condition.AtMost("largest |gradient| left on a parameter after the optimizer's zero_grad", 0);
    /// <summary>1 means one optimizer step changed none of the parameters that had a gradient: the optimizer holds other tensors.</summary>
    public static readonly Condition StepMovesTheModel = Condition.AtMost("share of parameter tensors with a gradient that one optimizer step left unchanged", 0.5, format: "P0");
    /// <summary>A tensor left out of the optimizer on purpose (a frozen backbone) is legitimate, hence a warning.</summary>
    public static readonly Condition StepMovesEveryTensor = Condition.AtMost("share of parameter tensors with a gradient that one optimizer step left unchanged", 0, Verdict.Warn, "P0");

    public string Id => "loss-decreases";
    public int Stage => 2;
    public string Hypothesis => "The training loss goes down during a short run, and goes lower with a little more capacity; one optimizer step moves the model and zero_grad clears its gradients.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [Decreases, CapacityHelps, GradientsCleared, StepMovesTheModel, StepMovesEveryTensor];

    public CheckOutcome Run(CheckContext context)
    {
        var run = context.BaseRun;
        var losses = run.Training.StepLosses;
        int tenth = Math.Max(1, losses.Count / 10);
        double first = losses.Take(tenth).Average(), last = losses.Skip(losses.Count - tenth).Average();
        double share = last / Math.Max(first, 1e-12);
        if (double.IsNaN(share)) share = double.PositiveInfinity;
        var evidence = new Evidence().Number("steps", losses.Count).Number("first_tenth_loss", first).Number("last_tenth_loss", last)
            .Number("decrease_share", share).Number("train_loss", run.TrainProbe.Loss);
        evidence.Test(Decreases, share);
        var step = OptimizerProbe(context);
        evidence.Number("gradient_left_after_zero_grad", step.LeftAfterZeroGrad).Number("parameter_tensors_with_gradient", step.WithGradient)
            .Number("parameter_tensors_unchanged_by_a_step", step.Unchanged).Number("unchanged_share", step.UnchangedShare);
        evidence.Test(GradientsCleared, step.LeftAfterZeroGrad);
        if (step.WithGradient > 0 && step.LearningRate > 0)
        {
            evidence.Test(StepMovesTheModel, step.UnchangedShare);
            evidence.Test(StepMovesEveryTensor, step.UnchangedShare);
        }
        else evidence.Note(step.WithGradient == 0
            ? "No parameter got a gradient from one batch, so whether a step moves them was not judged (gradient-health looks at that)."
            : "The learning rate stays 0 over the planned run, so whether a step moves the parameters was not judged (lr-schedule looks at that).");

        double[] Steps(int n) => Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        var series = new List<(string, double[], double[])> { ("model", Steps(losses.Count), losses.ToArray()) };
        string capacity;
        if (context.LargerRun is { } larger && run.TrainProbeEarly is { } early)
        {
            double ratio = larger.TrainProbe.Loss / Math.Max(early.Loss, 1e-12);
            evidence.Number("train_loss_at_same_steps", early.Loss).Number("larger_model_train_loss", larger.TrainProbe.Loss).Number("capacity_share", ratio);
            evidence.Test(CapacityHelps, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
            series.Add(("larger model", Steps(larger.Training.StepLosses.Count), larger.Training.StepLosses.ToArray()));
            capacity = $"; after {larger.Training.Steps} steps on {early.Examples} training examples the larger model reaches " +
                       $"{Show.N(larger.TrainProbe.Loss)} vs {Show.N(early.Loss)}";
        }
        else
        {
            evidence.Note("The pipeline has no larger model (Pipeline.CreateLargerModel), so the capacity half was not run.");
            capacity = "; capacity not compared (no larger model)";
        }
        evidence.Picture(Charts.Lines("training loss per step", "step", "training loss (batch)", series),
            "Batch losses of the short run; the larger model's curve should end lower.");
        // a loss that barely moved may be a slow learner; an optimizer that does not step or clear is not, and neither is a
        // loss that fell well while only the larger model did not help
        var notPassing = evidence.Conditions.Where(c => c.Verdict != Verdict.Pass).ToList();
        bool barelyMoved = notPassing.Any(c => c.Title == Decreases.Title) && notPassing.All(c => c.Title == Decreases.Title || c.Title == CapacityHelps.Title);
        string slow = barelyMoved ? SlowLearning.Advice(context) ?? "" : "";
        return CheckOutcome.FromConditions(evidence,
            $"training loss {Show.N(first)} → {Show.N(last)} over {losses.Count} steps ({Show.P(share)})" + capacity +
            $"; one optimizer step left {step.Unchanged} of {step.WithGradient} parameter tensors with a gradient unchanged, zero_grad left {Show.N(step.LeftAfterZeroGrad)}",
            slow + "The training loss does not go down (or more capacity does not help): check that the optimizer holds this model's parameters " +
            "(build it over model.parameters() of the model that is trained), that its zero_grad clears the gradients (a custom optimizer or " +
            "wrapper must), that the learning rate is neither zero nor huge, that the loss sends gradient (loss-gradient-coverage), and that the labels are right.");
    }

    /// <summary>What one optimizer step of the pipeline does to a fresh model, on one training batch.</summary>
    sealed record StepProbe(int WithGradient, int Unchanged, double LeftAfterZeroGrad, double LearningRate)
    {
        public double UnchangedShare => WithGradient == 0 ? 0 : (double)Unchanged / WithGradient;
    }

    /// <summary>
    /// zero_grad, backward on one batch, step (as the loop does), then zero_grad again: counts the parameter tensors that had a
    /// gradient and were not moved, and measures the gradient zero_grad left. A schedule that starts at 0 (warm-up) is stepped
    /// to its first non-zero rate first, so a correct warm-up is not mistaken for a step that moves nothing.
    /// </summary>
    static StepProbe OptimizerProbe(CheckContext context)
    {
        var pipeline = context.Pipeline;
        using var model = context.NewModel();
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        using var setup = pipeline.CreateOptimizer(model.parameters(), pipeline.Plan);
        for (int i = 0; setup.LearningRate == 0 && setup.Schedule is { } schedule && i < pipeline.Plan.TotalSteps; i++) schedule.step();
        using var batch = CheckContext.First(context.Data.Train, Math.Min(context.Options.ShortRunBatchSize, context.Data.Train.Count), "optimizer-probe");
        using var scope = NewDisposeScope();
        model.train();
        var before = parameters.Select(p => p.detach().clone()).ToList();
        setup.Optimizer.zero_grad();
        pipeline.Loss(model.call(pipeline.Transform(batch.Inputs)), batch.Targets).backward();
        var hadGradient = parameters.Select(p => p.grad is { } g && g.abs().max().item<float>() > 0).ToList();
        setup.Optimizer.step();
        int withGradient = 0, unchanged = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (!hadGradient[i]) continue;
            withGradient++;
            if (parameters[i].detach().sub(before[i]).abs().max().item<float>() == 0) unchanged++;
        }
        setup.Optimizer.zero_grad();
        double left = parameters.Select(p => p.grad is { } g && g.numel() > 0 ? g.abs().max().to_type(float64).item<double>() : 0).DefaultIfEmpty(0).Max();
        return new StepProbe(withGradient, unchanged, double.IsNaN(left) ? double.PositiveInfinity : left, setup.LearningRate);
    }
}
