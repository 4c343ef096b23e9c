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
    readonly ModuleList<Module<Tensor, Tensor>> _members = new();
    readonly bool _averageProbabilities;

    /// <param name="members">The trained models, the first one first; the ensemble owns them from now on.</param>
    /// <param name="task">Regression averages outputs; classification and sequences average probabilities.</param>
    public Ensemble(IReadOnlyList<Module<Tensor, Tensor>> members, TaskKind task) : base(nameof(Ensemble))
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member", nameof(members));
        foreach (var member in members) _members.Add(member);
        _averageProbabilities = task != TaskKind.Regression;
        register_module("members", _members);
    }

    /// <summary>The members, in the order given (the first is the run's first model).</summary>
    public IReadOnlyList<Module<Tensor, Tensor>> Members => _members.ToList();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var outputs = _members.Select(m => m.call(input)).ToArray();
        Tensor combined = _averageProbabilities
            // log(mean_k softmax_k) = logsumexp_k(log_softmax_k) − log N: stable where a member is very sure
            ? stack(outputs.Select(o => o.log_softmax(-1)), 0).logsumexp(0).sub(Math.Log(outputs.Length))
            : stack(outputs, 0).mean([0]);
        return combined.MoveToOuterDisposeScope();
    }
}
