using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recipe.Training;

/// <summary>
/// Adam with the same math, state, options and checkpoints as TorchSharp's <see cref="Adam"/>, whose
/// update of a parameter is one pass over memory instead of about nine.
/// <para>
/// Why it exists: TorchSharp's Adam updates each parameter with a chain of libtorch kernels (scale and
/// add the first moment, scale and addcmul the second, sqrt, divide, add ε, addcdiv into the weights),
/// two of them allocating a temporary, each one a full pass over the tensor plus a P/Invoke and a
/// dispatch. The update is memory-bound elementwise arithmetic, so nine passes cost about nine times one:
/// on the 784-128-10 MLP at batch 128 with one torch thread it was ~40% of a training step. Here each
/// element of (param, grad, exp_avg, exp_avg_sq) is read once and written once, in managed SIMD code
/// (<see cref="Vector{T}"/>), with no temporaries.
/// </para>
/// <para>
/// The fast path takes float32, CPU, contiguous parameters without amsgrad. Any other parameter (amsgrad,
/// another dtype, a non-contiguous or sparse tensor, another device) is updated with torch ops by
/// <see cref="TorchUpdate"/>, the same math, one parameter at a time, so one odd parameter does not slow
/// the rest. Large parameters (≥ <see cref="ParallelThreshold"/> elements) are split across torch's
/// intra-op thread count when that is above one; the split changes no result bit, since every element's
/// update is independent of the others.
/// </para>
/// <para>
/// Weight decay is Adam's L2 term (added to the gradient, then divided by √v like the rest of it) unless
/// <see cref="DecoupledWeightDecay"/> is set: then it is AdamW's (Loshchilov &amp; Hutter 2019), p ← p·(1 − lr·wd)
/// before the Adam step, the same shrinkage for every weight whatever its gradient history. <see cref="AdamW"/> builds
/// that optimizer with biases and norm parameters left undecayed.
/// </para>
/// </summary>
public sealed class FusedAdam : Adam
{
    /// <summary>Parameters with at least this many elements are split across threads when torch has more than one.</summary>
    public const long ParallelThreshold = 1 << 18;

    /// <summary>The least number of elements a thread is given: smaller chunks cost more to hand out than to update.</summary>
    const long MinimumChunk = 1 << 16;

    /// <summary>As TorchSharp's <see cref="Adam"/> (note: PyTorch's defaults, beta2 = 0.999).</summary>
    public FusedAdam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                     double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }

    /// <summary>As TorchSharp's <see cref="Adam"/>, with parameter groups; a group's own options override these defaults.</summary>
    public FusedAdam(IEnumerable<ParamGroup> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                     double weight_decay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize)
    {
    }

    /// <summary>
    /// Decoupled (AdamW) weight decay: each step multiplies the weights by 1 − lr·weight_decay instead of adding
    /// weight_decay·p to the gradient. It applies to every group; a group's weight_decay of 0 decays nothing.
    /// </summary>
    public bool DecoupledWeightDecay { get; init; }

    /// <summary>
    /// AdamW: decoupled weight decay <paramref name="weightDecay"/> on weight matrices and kernels (two or more
    /// dimensions), none on biases and norm scales/shifts (one dimension), which set offsets and scales rather than
    /// capacity, and which decay would only pull away from where the data puts them.
    /// </summary>
    public static FusedAdam AdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay)
    {
        var all = parameters.ToList();
        var groups = new List<ParamGroup>
        {
            new(all.Where(p => p.dim() >= 2), new Options { weight_decay = weightDecay }),
            new(all.Where(p => p.dim() < 2), new Options { weight_decay = 0 }),
        };
        return new FusedAdam(groups.Where(g => g.Parameters.Any()), lr, weight_decay: weightDecay) { DecoupledWeightDecay = true };
    }

    /// <summary>How many pieces a fast-path update of <paramref name="elements"/> elements is split into with <paramref name="threads"/> torch threads.</summary>
    public static int ChunkCount(long elements, int threads) =>
        threads > 1 && elements >= ParallelThreshold ? (int)Math.Min(threads, elements / MinimumChunk) : 1;

    public override Tensor step(Func<Tensor>? closure = null)
    {
        int threads = torch.get_num_threads();
        return _step<ParamGroup>(group => StepGroup(group, threads), closure);
    }

    void StepGroup(ParamGroup group, int threads)
    {
        var options = group.Options;
        var hyper = new Hyper(
            options.LearningRate!.Value, options.beta1!.Value, options.beta2!.Value, options.eps!.Value,
            options.weight_decay!.Value, options.amsgrad!.Value, options.maximize!.Value, DecoupledWeightDecay);

        foreach (var param in group.Parameters)
        {
            var grad = param.grad; // a new handle, owned by _step's dispose scope
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            double biasCorrection1 = 1 - Math.Pow(hyper.Beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(hyper.Beta2, state.step);
            double stepSize = hyper.LearningRate / biasCorrection1;
            double sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2);

            if (!hyper.Amsgrad && FastPathFits(param, grad, state))
                FusedUpdate(param, grad, state, new Coefficients(hyper, stepSize, sqrtBiasCorrection2), threads);
            else
                TorchUpdate(param, grad, state, hyper, stepSize, sqrtBiasCorrection2);
        }
    }

    /// <summary>True when the four tensors are float32 on the CPU, dense and contiguous: element i of one is element i of the others.</summary>
    static bool FastPathFits(Tensor param, Tensor grad, State state)
    {
        if (grad.is_sparse) return false;
        long n = param.numel();
        if (n * sizeof(float) > int.MaxValue) return false; // Tensor.bytes is a Span
        foreach (var t in (ReadOnlySpan<Tensor?>)[param, grad, state.exp_avg, state.exp_avg_sq])
            if (t is null || t.dtype != ScalarType.Float32 || t.device_type != DeviceType.CPU || !t.is_contiguous() || t.numel() != n)
                return false;
        return true;
    }

    static unsafe void FusedUpdate(Tensor param, Tensor grad, State state, Coefficients c, int threads)
    {
        long n = param.numel();
        if (n == 0) return;
        float* p = Pointer(param), g = Pointer(grad), m = Pointer(state.exp_avg), v = Pointer(state.exp_avg_sq);
        int chunks = ChunkCount(n, threads);
        if (chunks == 1)
        {
            Update(p, g, m, v, 0, n, c);
            return;
        }
        int width = Vector<float>.Count;
        long perChunk = ((n + chunks - 1) / chunks + width - 1) / width * width; // whole vectors, the tail in the last chunk
        nint pp = (nint)p, gp = (nint)g, mp = (nint)m, vp = (nint)v;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, k =>
        {
            long start = k * perChunk, end = Math.Min(n, start + perChunk);
            if (start < end) Update((float*)pp, (float*)gp, (float*)mp, (float*)vp, start, end, c);
        });
    }

    /// <summary>The tensor's first element (storage offset included). The memory is libtorch's, so it does not move.</summary>
    static unsafe float* Pointer(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    /// <summary>
    /// Elements [start, end): g = ±grad (+ weight_decay·p, coupled decay); m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g·g;
    /// p = p·(1 − lr·weight_decay) (decoupled decay) − step·m / (√v / √(1−β2^t) + ε), with step = lr / (1−β1^t). In float32, in libtorch's order of
    /// operations, no fused multiply-add (libtorch's vector kernels use some; see the tests' tolerance).
    /// Compiled fully optimized from the first call: tiered JIT would otherwise run the first few hundred
    /// milliseconds of training on the unoptimized loop, about twice as slow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void Update(float* p, float* g, float* m, float* v, long start, long end, in Coefficients c)
    {
        long i = start;
        if (Vector.IsHardwareAccelerated)
        {
            var beta1 = new Vector<float>(c.Beta1);
            var oneMinusBeta1 = new Vector<float>(c.OneMinusBeta1);
            var beta2 = new Vector<float>(c.Beta2);
            var oneMinusBeta2 = new Vector<float>(c.OneMinusBeta2);
            var sqrtBiasCorrection2 = new Vector<float>(c.SqrtBiasCorrection2);
            var eps = new Vector<float>(c.Eps);
            var stepSize = new Vector<float>(c.StepSize);
            var weightDecay = new Vector<float>(c.WeightDecay);
            var keep = new Vector<float>(c.DecoupledKeep);
            bool maximize = c.Maximize, decay = c.WeightDecay != 0 && !c.Decoupled, shrink = c.WeightDecay != 0 && c.Decoupled;
            for (long last = end - Vector<float>.Count; i <= last; i += Vector<float>.Count)
            {
                var pi = Vector.Load(p + i);
                var gi = Vector.Load(g + i);
                if (maximize) gi = -gi;
                if (decay) gi += weightDecay * pi;
                if (shrink) pi *= keep;
                var mi = beta1 * Vector.Load(m + i) + oneMinusBeta1 * gi;
                var vi = beta2 * Vector.Load(v + i) + oneMinusBeta2 * gi * gi;
                var denom = Vector.SquareRoot(vi) / sqrtBiasCorrection2 + eps;
                Vector.Store(mi, m + i);
                Vector.Store(vi, v + i);
                Vector.Store(pi - stepSize * mi / denom, p + i);
            }
        }
        for (; i < end; i++)
        {
            float gi = c.Maximize ? -g[i] : g[i];
            if (c.WeightDecay != 0 && !c.Decoupled) gi += c.WeightDecay * p[i];
            if (c.WeightDecay != 0 && c.Decoupled) p[i] *= c.DecoupledKeep;
            float mi = c.Beta1 * m[i] + c.OneMinusBeta1 * gi;
            float vi = c.Beta2 * v[i] + c.OneMinusBeta2 * gi * gi;
            float denom = MathF.Sqrt(vi) / c.SqrtBiasCorrection2 + c.Eps;
            m[i] = mi;
            v[i] = vi;
            p[i] -= c.StepSize * mi / denom;
        }
    }

    /// <summary>The same update with torch ops, for parameters the fast path does not take (and for amsgrad).</summary>
    static void TorchUpdate(Tensor param, Tensor grad, State state, Hyper h, double stepSize, double sqrtBiasCorrection2)
    {
        var g = h.Maximize ? grad.neg() : grad;
        if (h.WeightDecay != 0 && !h.Decoupled) g = g.add(param, alpha: h.WeightDecay);
        if (h.WeightDecay != 0 && h.Decoupled) param.mul_(1 - h.LearningRate * h.WeightDecay);
        state.exp_avg.mul_(h.Beta1).add_(g, alpha: 1 - h.Beta1);
        state.exp_avg_sq.mul_(h.Beta2).addcmul_(g, g, value: 1 - h.Beta2);
        var second = state.exp_avg_sq;
        if (h.Amsgrad)
        {
            // the running maximum of the second moment, kept in place (amsgrad may have been switched on after construction)
            state.max_exp_avg_sq ??= zeros_like(state.exp_avg_sq).DetachFromDisposeScope();
            state.max_exp_avg_sq.copy_(maximum(state.max_exp_avg_sq, state.exp_avg_sq));
            second = state.max_exp_avg_sq;
        }
        var denom = second.sqrt().div_(sqrtBiasCorrection2).add_(h.Eps);
        param.addcdiv_(state.exp_avg, denom, value: -stepSize);
    }

    /// <summary>A group's options, read once per step.</summary>
    readonly record struct Hyper(double LearningRate, double Beta1, double Beta2, double Eps, double WeightDecay, bool Amsgrad, bool Maximize, bool Decoupled);

    /// <summary>One parameter's scalars for this step, in float32 as libtorch converts them for a float32 tensor.</summary>
    readonly struct Coefficients(Hyper h, double stepSize, double sqrtBiasCorrection2)
    {
        public readonly float Beta1 = (float)h.Beta1;
        public readonly float OneMinusBeta1 = (float)(1 - h.Beta1);
        public readonly float Beta2 = (float)h.Beta2;
        public readonly float OneMinusBeta2 = (float)(1 - h.Beta2);
        public readonly float Eps = (float)h.Eps;
        public readonly float WeightDecay = (float)h.WeightDecay;
        public readonly bool Decoupled = h.Decoupled;
        /// <summary>Decoupled decay's factor on the weights, 1 − lr·weight_decay, computed in double as libtorch does before the cast.</summary>
        public readonly float DecoupledKeep = (float)(1 - h.LearningRate * h.WeightDecay);
        public readonly bool Maximize = h.Maximize;
        public readonly float StepSize = (float)stepSize;
        public readonly float SqrtBiasCorrection2 = (float)sqrtBiasCorrection2;
    }
}
