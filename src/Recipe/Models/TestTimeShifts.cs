using Recipe.Data;
using Recipe.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Recipe.Models;

/// <summary>
/// A trained image model asked about several shifted copies of each input (test-time augmentation): the 3 × 3 grid of
/// translations by −<see cref="Step"/>, 0 and +<see cref="Step"/> pixels along each axis, with edge padding as in
/// training, and their mirror images too when training flipped (<see cref="Mirror"/>). Classes: the log of the mean of
/// the views' softmax probabilities (valid logits, as <see cref="Ensemble"/> gives); regression: the mean output. A
/// model trained on shifted images has learnt that these views share a label, so their mean cancels part of the error
/// any one view makes. Inputs may come flattened (an MLP's (B, C·H·W)): they are viewed as (B, C, H, W) by
/// <see cref="ExampleShape"/> and handed back in their own shape. The inner model is the registered submodule "model".
/// </summary>
public sealed class TestTimeShifts : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> model; // named as the state dict names it (see Ensemble's members)
    readonly bool _averageProbabilities;

    /// <param name="inner">The trained model (one model or an <see cref="Ensemble"/>); this module owns it from now on.</param>
    /// <param name="exampleShape">One image as the model takes it, (C, H, W): after any downsampling of the `input` knob.</param>
    /// <param name="step">The translation in pixels (≥ 1).</param>
    /// <param name="mirror">Also every view mirrored left-right (when training flipped).</param>
    public TestTimeShifts(Module<Tensor, Tensor> inner, long[] exampleShape, int step, bool mirror, TaskKind task) : base(nameof(TestTimeShifts))
    {
        if (exampleShape.Length != 3) throw new ArgumentException($"test-time shifts need images (C, H, W), found shape ({string.Join(", ", exampleShape)})", nameof(exampleShape));
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "a shift of at least one pixel");
        model = inner;
        ExampleShape = exampleShape;
        Step = step;
        Mirror = mirror;
        Views = [.. new[] { false, true }.Where(m => m == false || mirror)
            .SelectMany(m => new[] { 0, -step, step }.SelectMany(down => new[] { 0, -step, step }.Select(right => (down, right, m))))];
        _averageProbabilities = task != TaskKind.Regression;
        RegisterComponents();
    }

    public Module<Tensor, Tensor> Inner => model;
    public long[] ExampleShape { get; }
    public int Step { get; }
    public bool Mirror { get; }

    /// <summary>(rows down, columns right, mirrored) of every view, the unshifted one first.</summary>
    public IReadOnlyList<(int Down, int Right, bool Mirrored)> Views { get; }

    /// <summary>How many copies a model answers over: the 3 × 3 grid of shifts, twice that when mirrored.</summary>
    public static int ViewCount(bool mirror) => mirror ? 18 : 9;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var images = input.reshape([input.shape[0], .. ExampleShape]);
        var outputs = Views.Select(v => model.call(ImageAugmentations.Translate(images, v.Down, v.Right, v.Mirrored).reshape(input.shape))).ToArray();
        return Ensemble.Mean(outputs, _averageProbabilities).MoveToOuterDisposeScope();
    }
}
