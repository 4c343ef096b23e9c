using Recipe.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>
/// How long `recipe run` trains by default: until validation stops improving (<see cref="EarlyStopping"/>), within a
/// compute budget counted in the model's own multiply-adds, so that a small table gets hundreds of epochs and a
/// large image set a few, for the same cost. The budget is deterministic (sizes only, no clock), so a seed
/// still fixes where a run stops; the wall clock (`--budget`) is a separate, hard limit.
/// </summary>
public static class TrainingLength
{
    /// <summary>
    /// Forward multiply-adds per run for <see cref="ReferenceCount"/> training examples: about two epochs of the small
    /// CNN on the 54,000 Fashion-MNIST training images (1.2 M per image), some 20 s on one core (a step forward,
    /// backward and update costs about three times its forward). The cost `recipe run` had before it stopped on
    /// validation, kept so that large image sets do not get slower.
    /// </summary>
    public const double ComputeBudget = 1.3e11;

    /// <summary>
    /// The budget grows with the fourth root of the training set: more data merits more compute, but fewer passes
    /// (the 5,400-image sample gets about 11 epochs of the CNN, as before). Tables are bounded by <see cref="MaxSteps"/>.
    /// </summary>
    public const int ReferenceCount = 54_000;

    /// <summary>A step costs some fixed overhead however small the model; tiny models are bounded by steps instead.</summary>
    public const int MaxSteps = 10_000;

    /// <summary>How far the budget may grow (by doubling) while validation improves and the model does not yet beat its baselines.</summary>
    public const int MaxExtension = 4;

    /// <summary>
    /// The default run's training configuration for this model and data: validation every few steps
    /// (<see cref="TrainingConfig.ValidationInterval"/>), a step budget from <see cref="ComputeBudget"/> rounded up to
    /// whole epochs and then to a whole number of validation intervals (so the budget is checked on a measured point), and a hard ceiling of
    /// <see cref="MaxExtension"/> budgets as the loop's step limit.
    /// </summary>
    /// <param name="budgetExamples">What the budget's growth with the data counts (<see cref="BudgetExamples"/>); null: <paramref name="trainCount"/>.</param>
    public static (TrainingConfig Config, int BudgetSteps) DefaultConfig(TrainingConfig basis, long multiplyAddsPerExample, int trainCount, int validationCount,
        long? budgetExamples = null)
    {
        int interval = TrainingConfig.ValidationInterval(trainCount, validationCount, basis.BatchSize);
        int perEpoch = Math.Max(1, (trainCount + basis.BatchSize - 1) / basis.BatchSize);
        int budget = Steps(multiplyAddsPerExample, basis.BatchSize, trainCount, budgetExamples);
        // whole epochs when it spans one or more (a run that ends mid-epoch has seen part of the data once more)
        if (budget >= perEpoch) budget = (int)Math.Round(budget / (double)perEpoch) * perEpoch;
        budget = (budget + interval - 1) / interval * interval;
        int ceiling = budget * MaxExtension;
        return (basis with { Epochs = (ceiling + perEpoch - 1) / perEpoch, MaxSteps = ceiling, EvaluateEverySteps = interval }, budget);
    }

    /// <summary>The default step budget for a model costing <paramref name="multiplyAddsPerExample"/> per example.</summary>
    /// <param name="budgetExamples">What the budget's growth with the data counts (<see cref="BudgetExamples"/>); null: <paramref name="trainCount"/>.</param>
    public static int Steps(long multiplyAddsPerExample, int batchSize, int trainCount, long? budgetExamples = null)
    {
        double perStep = Math.Max(1, multiplyAddsPerExample) * (double)Math.Min(batchSize, Math.Max(trainCount, 1));
        double budget = ComputeBudget * Math.Pow(Math.Max(budgetExamples ?? trainCount, 1) / (double)ReferenceCount, 0.25);
        return (int)Math.Clamp(Math.Ceiling(budget / perStep), 1, MaxSteps);
    }

    /// <summary>
    /// The training examples the budget grows with: for token sequences (int64 targets per position, −1 ignored) the
    /// predicted tokens, because each is an example of the next-token task, as each image is one of its class (a line of
    /// 62 characters holds 62 of them: counted in lines, the 1,858 license lines got 112 steps, fewer than a 28-step
    /// trial can rank models on); for other data, the examples.
    /// </summary>
    public static long BudgetExamples(DataSplit train)
    {
        if (!(train.Targets.dim() == 2 && train.Targets.dtype == ScalarType.Int64)) return train.Count;
        return train.Targets.ne(Losses.IgnoreIndex).sum().item<long>();
    }

    /// <summary>
    /// The multiply-adds of one example's forward pass through the model's linear and convolution layers (the
    /// layers that cost; activations, pooling and normalization are cheap beside them), measured on one training
    /// example: every output value of such a layer costs one multiply-add per weight feeding it.
    /// </summary>
    public static long MultiplyAddsPerExample(nn.Module<Tensor, Tensor> model, Func<Tensor, Tensor> transform, DataSplit train)
    {
        long total = 0;
        var hooks = model.modules().OfType<nn.Module<Tensor, Tensor>>()
            .Where(m => m is Linear or Conv1d or Conv2d or Conv3d)
            .Select(layer => layer.register_forward_hook((module, input, output) =>
            {
                var weight = module.get_parameter("weight");
                if (weight is not null && weight.dim() > 0) total += output.numel() * (weight.numel() / weight.shape[0]);
                return output;
            })).ToList();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var _ = EvalMode.Of(model);
            model.call(transform(train.Inputs.narrow(0, 0, 1)));
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
        }
        return total + RecurrentMultiplyAdds(model, train);
    }

    /// <summary>
    /// The multiply-adds of recurrent layers (GRU, LSTM, RNN), which the hooks above do not see: every position of the
    /// sequence multiplies its input and the previous state by all of the layer's input and recurrent weights. Without
    /// them a GRU counted only its output layer, a quarter of its cost, and got a step budget several times a charconv's
    /// for the same time (profiled with `Recipe.Bench text-steps`: per step on words the GRU costs 1.6× the charconv).
    /// </summary>
    static long RecurrentMultiplyAdds(nn.Module model, DataSplit train)
    {
        long positions = train.Inputs.dim() >= 2 ? train.Inputs.shape[1] : 1;
        long weights = model.modules().Where(m => m is GRU or LSTM or RNN)
            .SelectMany(m => m.named_parameters(recurse: false))
            .Where(p => p.name.StartsWith("weight_ih", StringComparison.Ordinal) || p.name.StartsWith("weight_hh", StringComparison.Ordinal))
            .Sum(p => p.parameter.numel());
        return positions * weights;
    }
}
