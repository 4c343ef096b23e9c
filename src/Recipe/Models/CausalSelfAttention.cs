using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// Multi-head self-attention in which position t attends to positions ≤ t only (Vaswani et al. 2017, the decoder's
/// masked attention): scores for later positions are set to −∞ before the softmax, so they get exactly zero weight and
/// no gradient, and the output at t cannot depend on a later token.
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>
{
    readonly int _heads;
    readonly Linear _queryKeyValue;
    readonly Linear _projection;

    public CausalSelfAttention(int width, int heads) : base(nameof(CausalSelfAttention))
    {
        if (heads <= 0 || width % heads != 0) throw new ArgumentException($"width {width} must split evenly into {heads} heads");
        _heads = heads;
        _queryKeyValue = Linear(width, 3 * width);
        _projection = Linear(width, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // (B, T, D) -> (B, T, D)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], steps = x.shape[1], width = x.shape[2], headSize = width / _heads;
        // (B, T, 3D) → three (B, heads, T, D/heads)
        var qkv = _queryKeyValue.call(x).view(batch, steps, 3, _heads, headSize).permute(2, 0, 3, 1, 4);
        var (query, key, value) = (qkv[0], qkv[1], qkv[2]);
        var scores = query.matmul(key.transpose(-2, -1)).div(Math.Sqrt(headSize));  // (B, heads, T, T)
        var future = ones(steps, steps, dtype: ScalarType.Bool).triu(1);             // true above the diagonal: later positions
        var weights = scores.masked_fill(future, double.NegativeInfinity).softmax(-1);
        var mixed = weights.matmul(value).transpose(1, 2).reshape(batch, steps, width);
        return _projection.call(mixed).MoveToOuterDisposeScope();
    }
}
