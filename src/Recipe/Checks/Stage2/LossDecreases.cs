using Recipe.Reporting;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Verify decreasing training loss: over the short run the training loss goes down, and a model with a
/// little more capacity reaches a lower training loss in the same steps (at this stage the model should
/// be underfitting).
/// </summary>
public sealed class LossDecreases : ICheck
{
    /// <summary>Mean batch loss over the last tenth of the run, as a share of the first tenth.</summary>
    public static readonly Condition Decreases = Condition.AtMost("training loss over the last 10% of steps, as a share of the first 10%", 0.9, format: "P0");
    /// <summary>Both measured on a fixed training subset (not on noisy batches) after the same number of steps.</summary>
    public static readonly Condition CapacityHelps = Condition.AtMost("training loss of the larger model, as a share of the model's after as many steps", 1.0, Verdict.Warn, "P0");

    public string Id => "loss-decreases";
    public int Stage => 2;
    public string Hypothesis => "The training loss goes down during a short run, and goes lower with a little more capacity.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [Decreases, CapacityHelps];

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

        double[] Steps(int n) => Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        var series = new List<(string, double[], double[])> { ("model", Steps(losses.Count), losses.ToArray()) };
        string capacity;
        if (context.LargerRun is { } larger && run.TrainProbeAtHalf is { } half)
        {
            double ratio = larger.TrainProbe.Loss / Math.Max(half.Loss, 1e-12);
            evidence.Number("train_loss_at_half", half.Loss).Number("larger_model_train_loss", larger.TrainProbe.Loss).Number("capacity_share", ratio);
            evidence.Test(CapacityHelps, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
            series.Add(("larger model", Steps(larger.Training.StepLosses.Count), larger.Training.StepLosses.ToArray()));
            capacity = $"; after {larger.Training.Steps} steps on {half.Examples} training examples the larger model reaches " +
                       $"{Show.N(larger.TrainProbe.Loss)} vs {Show.N(half.Loss)}";
        }
        else
        {
            evidence.Note("The pipeline has no larger model (Pipeline.CreateLargerModel), so the capacity half was not run.");
            capacity = "; capacity not compared (no larger model)";
        }
        evidence.Picture(Charts.Lines("training loss per step", "step", "training loss (batch)", series),
            "Batch losses of the short run; the larger model's curve should end lower.");
        return CheckOutcome.FromConditions(evidence,
            $"training loss {Show.N(first)} → {Show.N(last)} over {losses.Count} steps ({Show.P(share)})" + capacity,
            "The training loss does not go down (or more capacity does not help): check that the optimizer holds this model's parameters, " +
            "that the learning rate is neither zero nor huge, that the loss sends gradient (loss-gradient-coverage), and that the labels are right.");
    }
}
