using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A pre-norm transformer block (as in GPT-2): x + attention(norm(x)), then x + MLP(norm(x)) with a 4× wider GELU
/// layer. Normalizing before each branch leaves the residual path an identity, which trains stably without warmup.
/// Optional residual dropout on each branch's output, as GPT-2 does.
/// </summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    readonly LayerNorm _attentionNorm;
    readonly CausalSelfAttention _attention;
    readonly LayerNorm _mlpNorm;
    readonly Sequential _mlp;
    readonly Dropout? _residualDrop;

    public TransformerBlock(int width, int heads, double dropout = 0) : base(nameof(TransformerBlock))
    {
        if (dropout > 0) _residualDrop = Dropout(dropout);
        _attentionNorm = LayerNorm(width);
        _attention = new CausalSelfAttention(width, heads);
        _mlpNorm = LayerNorm(width);
        _mlp = Sequential(("expand", Linear(width, 4 * width)), ("gelu", GELU()), ("project", Linear(4 * width, width)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // (B, T, D) -> (B, T, D)
    {
        using var scope = NewDisposeScope();
        var attended = x + Drop(_attention.call(_attentionNorm.call(x)));
        return (attended + Drop(_mlp.call(_mlpNorm.call(attended)))).MoveToOuterDisposeScope();
    }

    Tensor Drop(Tensor branch) => _residualDrop is null ? branch : _residualDrop.call(branch);
}
