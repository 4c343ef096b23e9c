using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace ExamplePipeline;

/// <summary>
/// A user's model: one linear layer shared by every image row, then a classifier over all rows.
/// The rows are put first, (B, H, W) → (H, B, W), as sequence code often does. With
/// <c>mixBatch</c> the reorder uses view instead of permute: the classic bug that reinterprets memory,
/// feeds example b rows of other examples, and still trains.
/// </summary>
public sealed class RowMlp : Module<Tensor, Tensor>
{
    readonly Linear _row;
    readonly Linear _classifier;
    readonly bool _mixBatch;

    public RowMlp(long height, long width, long classes, bool mixBatch, int rowFeatures = 16) : base(nameof(RowMlp))
    {
        _row = Linear(width, rowFeatures);
        _classifier = Linear(height * rowFeatures, classes);
        _mixBatch = mixBatch;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // (B, 1, H, W) -> (B, classes)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], h = x.shape[2], w = x.shape[3];
        var rows = x.reshape(b, h, w);                                          // (B, H, W)
        var rowsFirst = _mixBatch ? rows.view(h, b, w) : rows.permute(1, 0, 2); // (H, B, W)
        var features = functional.relu(_row.call(rowsFirst));                  // (H, B, F)
        var perExample = features.permute(1, 0, 2).reshape(b, -1);              // (B, H * F)
        return _classifier.call(perExample).MoveToOuterDisposeScope();
    }
}
