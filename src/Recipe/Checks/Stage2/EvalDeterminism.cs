using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Evaluation is a measurement, so it must not be random: two evaluations of one model give identical
/// outputs and the same whole-split loss. Dropout left on at evaluation (functional dropout with
/// training: true, or a module that ignores eval()) makes every validation number noisy.
/// </summary>
public sealed class EvalDeterminism : ICheck
{
    /// <summary>Validation examples evaluated twice through the whole evaluation path (batches, loss, accuracy).</summary>
    const int SplitExamples = 2000;

    public static readonly Condition SameOutputs = Condition.AtMost("max |Δ output| between two evaluations", 1e-6);
    public static readonly Condition SameLoss = Condition.AtMost("|Δ validation loss| between two evaluations", 1e-9);

    public string Id => "eval-determinism";
    public int Stage => 2;
    public string Hypothesis => "Evaluating the same model twice (eval mode, no gradients) gives identical outputs and the same validation loss.";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions => [SameOutputs, SameLoss];

    public CheckOutcome Run(CheckContext context)
    {
        using var model = context.NewModel();
        using var probe = CheckContext.First(context.Data.Validation, context.Options.ProbeExamples, "eval-probe");
        double outputs;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            model.eval();
            var x = context.Pipeline.Transform(probe.Inputs);
            var first = model.call(x).to_type(float64);
            var second = model.call(x).to_type(float64);
            outputs = (first - second).abs().max().item<double>();
            if (double.IsNaN(outputs)) outputs = double.PositiveInfinity;
        }
        using var split = CheckContext.First(context.Data.Validation, SplitExamples, "eval-split");
        var once = context.Evaluate(model, split);
        var twice = context.Evaluate(model, split);
        double loss = Math.Abs(once.Loss - twice.Loss);
        if (double.IsNaN(loss)) loss = double.PositiveInfinity;

        var evidence = new Evidence().Number("examples", probe.Count).Number("evaluated_examples", split.Count).Number("max_output_difference", outputs)
            .Number("validation_loss_first", once.Loss).Number("validation_loss_second", twice.Loss).Number("validation_loss_difference", loss);
        evidence.Test(SameOutputs, outputs);
        evidence.Test(SameLoss, loss);
        return CheckOutcome.FromConditions(evidence,
            $"two evaluations differ by up to {Show.N(outputs)} in the outputs and {Show.N(loss)} in the validation loss " +
            $"({Show.N(once.Loss)} vs {Show.N(twice.Loss)})",
            "Something random is still on in eval mode: usually dropout called as functional.dropout(x, p, training: true) or a custom module " +
            "that ignores eval(). Use nn.Dropout modules (they follow model.eval()) or pass the module's training flag.");
    }
}
