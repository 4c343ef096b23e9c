using Recipe.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// Several trained models of one architecture answering as one: classes (the last dim of (B, C) or (B, T, V)) as the
/// log of the mean of the members' softmax probabilities, regression as the mean of their outputs. The log-mean
/// probabilities are valid logits (log_softmax leaves them unchanged), so cross-entropy, accuracy and every evaluation
/// path take an ensemble exactly as they take one model. Members are registered submodules ("members.0.…"): eval and
/// train mode, the state dict and Dispose reach them.
/// </summary>
public sealed class Ensemble : Module<Tensor, Tensor>
{
    // named as the state dict names it: RegisterComponents registers fields by name, and TorchSharp runs it again when this
    // module becomes another's submodule (test-time shifts wrap an ensemble), so a name given only by register_module
    // would appear twice, "members" and the field's own
    readonly ModuleList<Module<Tensor, Tensor>> members = new();
    readonly bool _averageProbabilities;

    /// <param name="trained">The trained models, the first one first; the ensemble owns them from now on.</param>
    /// <param name="task">Regression averages outputs; classification and sequences average probabilities.</param>
    public Ensemble(IReadOnlyList<Module<Tensor, Tensor>> trained, TaskKind task) : base(nameof(Ensemble))
    {
        if (trained.Count == 0) throw new ArgumentException("an ensemble needs at least one member", nameof(trained));
        foreach (var member in trained) members.Add(member);
        _averageProbabilities = task != TaskKind.Regression;
        RegisterComponents();
    }

    /// <summary>The members, in the order given (the first is the run's first model).</summary>
    public IReadOnlyList<Module<Tensor, Tensor>> Members => members.ToList();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Mean(members.Select(m => m.call(input)).ToArray(), _averageProbabilities).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Several answers to the same inputs as one: with <paramref name="probabilities"/>, the log of the mean of their
    /// softmax over the last dim (valid logits); otherwise (regression) the mean of the outputs.
    /// </summary>
    public static Tensor Mean(IReadOnlyList<Tensor> outputs, bool probabilities) => probabilities
        // log(mean_k softmax_k) = logsumexp_k(log_softmax_k) − log N: stable where one answer is very sure
        ? stack(outputs.Select(o => o.log_softmax(-1)), 0).logsumexp(0).sub(Math.Log(outputs.Count))
        : stack(outputs, 0).mean([0]);
}
