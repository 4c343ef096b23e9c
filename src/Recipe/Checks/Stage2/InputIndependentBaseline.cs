using Recipe.Data;
using Recipe.Reporting;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Input-independent baseline: the same short run with every input zeroed just before model(x). The
/// model with its inputs must do clearly better; if it does not, it extracts nothing from the input —
/// labels shuffled or zeroed, inputs lost on the way, or labels that do not belong to their inputs.
/// </summary>
public sealed class InputIndependentBaseline : ICheck
{
    /// <summary>Validation loss with inputs as a share of the loss without: 1 means the inputs told the model nothing.</summary>
    public static readonly Condition InputsHelp = Condition.AtMost("validation loss with real inputs, as a share of the loss with zeroed inputs", 0.9, format: "P0");

    public string Id => "input-independent-baseline";
    public int Stage => 2;
    public string Hypothesis => "The model trained on real inputs does clearly better on validation than the same model trained on zeroed inputs.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [InputsHelp];

    public CheckOutcome Run(CheckContext context)
    {
        var real = context.BaseRun;
        var blind = context.InputIndependentRun;
        double share = real.Validation.Loss / Math.Max(blind.Validation.Loss, 1e-12);
        if (double.IsNaN(share)) share = double.PositiveInfinity;
        var evidence = new Evidence().Number("steps", real.Training.Steps)
            .Number("model_loss", real.Validation.Loss).Metric("input_independent_loss", blind.Validation.Loss).Number("loss_share", share);
        if (real.Validation.Accuracy is { } accuracy && blind.Validation.Accuracy is { } blindAccuracy)
            evidence.Number("model_accuracy", accuracy).Metric("input_independent_accuracy", blindAccuracy);
        evidence.Test(InputsHelp, share);
        if (blind.RowsNote is { } rows) evidence.Note($"The zeroed-input run trained and was evaluated on {rows}.");
        double[] Steps(int n) => Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        evidence.Picture(Charts.Lines("training loss: real inputs vs zeroed inputs", "step", "training loss (batch)",
            [("real inputs", Steps(real.Training.StepLosses.Count), real.Training.StepLosses.ToArray()),
             ("zeroed inputs", Steps(blind.Training.StepLosses.Count), blind.Training.StepLosses.ToArray())]),
            "The zeroed-input model can only learn the label prior; the real model's curve must fall clearly below it.");
        string Score(Training.EvaluationResult r) => r.Accuracy is { } a ? $"loss {Show.N(r.Loss)}, accuracy {Show.P(a)}" : $"loss {Show.N(r.Loss)}";
        return CheckOutcome.FromConditions(evidence,
            $"validation after {real.Training.Steps} steps — real inputs: {Score(real.Validation)}; zeroed inputs: {Score(blind.Validation)}",
            (evidence.Verdict == Verdict.Pass ? "" : SlowLearning.Advice(context) ?? "") + "The model learns nothing from its inputs. Check that labels belong to their inputs (not shuffled, zeroed or misaligned by a join " +
            "or a sort), that the inputs reach the model (not zeroed, constant or detached in the transform), and look at inputs-at-the-door.");
    }
}
