using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>
/// Stops training when the validation loss has stopped improving, and puts the weights of the best validation
/// point back at the end ("early stopping", stage 4 of the recipe, on by default in `recipe run`).
/// Patience grows with the run: a run that found its best at step 2,000 waits longer for the next improvement
/// than one that found it at step 20 (improvements come slower late in training), and never less than a few
/// evaluations. An improvement counts when it beats the loss at the last counted improvement by a small share,
/// so a loss drifting down by rounding noise does not keep a run alive forever.
/// </summary>
public sealed class EarlyStopping(double patienceShare = 0.5, int minimumEvaluations = 5, double minimumImprovement = 1e-3) : ITrainingHook, IDisposable
{
    /// <summary>How the stop reason of a run early stopping ended begins (what a reader of the reason can test for).</summary>
    public const string StopReasonStart = "validation stopped improving";

    Dictionary<string, Tensor>? _bestWeights;
    double _reference = double.PositiveInfinity;
    int _lastImprovementStep;
    int _phaseStart; // patience counts from here: 0, or the step of the last RestartFromBest
    int _evaluationsSinceImprovement;
    bool _exhausted;

    /// <summary>The lowest validation loss seen, and after which step.</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;
    public int BestStep { get; private set; }
    /// <summary>The step whose weights were put back at the end (null when the last weights were the best).</summary>
    public int? RestoredStep { get; private set; }
    /// <summary>False once the patience ran out: validation stopped improving.</summary>
    public bool StillImproving => !_exhausted;

    public StopRequest? OnValidation(TrainingContext context, ValidationPoint validation)
    {
        double loss = validation.Result.Loss;
        if (double.IsNaN(loss)) loss = double.PositiveInfinity;
        if (loss < BestLoss)
        {
            BestLoss = loss;
            BestStep = validation.Step;
            Snapshot(context.Model);
        }
        if (loss < _reference * (1 - minimumImprovement) || double.IsPositiveInfinity(_reference) && !double.IsPositiveInfinity(loss))
        {
            _reference = loss;
            _lastImprovementStep = validation.Step;
            _evaluationsSinceImprovement = 0;
            return null;
        }
        _evaluationsSinceImprovement++;
        int waited = validation.Step - _lastImprovementStep;
        if (_evaluationsSinceImprovement < minimumEvaluations || waited < patienceShare * (_lastImprovementStep - _phaseStart)) return null;
        _exhausted = true;
        return new StopRequest($"{StopReasonStart} (no gain of {minimumImprovement:P1} in the {waited} steps since step {_lastImprovementStep}); " +
                               $"best validation loss {BestLoss:G4} at step {BestStep}");
    }

    /// <summary>
    /// Puts the best weights back and waits again from <paramref name="step"/>, with patience counted from there: a new
    /// phase of the same run (after a lower learning rate) gets the patience of its own length, not of the whole run's.
    /// </summary>
    public void RestartFromBest(nn.Module<Tensor, Tensor> model, int step)
    {
        if (_bestWeights is not null)
            using (no_grad())
                foreach (var (name, tensor) in model.state_dict())
                    tensor.copy_(_bestWeights[name]);
        _reference = BestLoss;
        _lastImprovementStep = step;
        _phaseStart = step;
        _evaluationsSinceImprovement = 0;
        _exhausted = false;
    }

    public void OnTrainingEnd(TrainingContext context, TrainingResult result)
    {
        if (_bestWeights is null || BestStep == result.Steps) return;
        using (no_grad())
            foreach (var (name, tensor) in context.Model.state_dict())
                tensor.copy_(_bestWeights[name]);
        RestoredStep = BestStep;
    }

    void Snapshot(nn.Module<Tensor, Tensor> model)
    {
        DisposeWeights();
        _bestWeights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope()); // outlives the step's scope
    }

    void DisposeWeights()
    {
        if (_bestWeights is null) return;
        foreach (var tensor in _bestWeights.Values) tensor.Dispose();
        _bestWeights = null;
    }

    public void Dispose() => DisposeWeights();
}
