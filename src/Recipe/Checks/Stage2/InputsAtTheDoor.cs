using Recipe.Data;
using Recipe.Reporting;
using Recipe.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Visualize just before the net: the exact tensors that enter model(x) in the training loop (after
/// augmentation and the input transform), decoded back to images, rows or text, with statistics that
/// show whether the normalization is sane.
/// </summary>
public sealed class InputsAtTheDoor : ICheck
{
    /// <summary>Batches captured from the training loop.</summary>
    const int Batches = 3;

    public static readonly Condition Finite = Condition.AtMost("non-finite values entering the model", 0);
    // Channels are the image channels, or a table's features (indicator and constant features left out).
    /// <summary>Far from zero: the wrong mean (another dataset's, or on the 0–255 scale instead of 0–1).</summary>
    public static readonly Condition Centered = Condition.AtMost("largest |channel mean| of the model input", 0.5);
    public static readonly Condition WellCentered = Condition.AtMost("largest |channel mean| of the model input", 0.15, Verdict.Warn);
    public static readonly Condition NotCollapsed = Condition.AtLeast("smallest channel std of the model input", 0.2);
    public static readonly Condition NotBlownUp = Condition.AtMost("largest channel std of the model input", 5);
    public static readonly Condition UnitScaleLow = Condition.AtLeast("smallest channel std of the model input", 0.5, Verdict.Warn);
    public static readonly Condition UnitScaleHigh = Condition.AtMost("largest channel std of the model input", 2, Verdict.Warn);
    public static readonly Condition TokensInVocabulary = Condition.AtMost("token ids outside the vocabulary", 0);
    public static readonly Condition TargetsValid = Condition.AtMost("targets outside the label set (or not finite)", 0);
    /// <summary>A stored feature that varies but reaches the model as a constant was zeroed or overwritten by the transform.</summary>
    public static readonly Condition NoFeatureLost = Condition.AtMost("stored features that vary but are constant at model(x)", 0);
    /// <summary>A table feature the transform ignores may be dropped on purpose (an identifier), so it only warns.</summary>
    public static readonly Condition NoFeatureIgnored = Condition.AtMost("stored table features the transform ignores", 0, Verdict.Warn);

    public string Id => "inputs-at-the-door";
    public int Stage => 2;
    public string Hypothesis => "The tensors entering model(x) decode back to the right examples and labels, and are normalized (mean ≈ 0, std ≈ 1 per channel).";
    public bool Blocking => true;
    public IReadOnlyList<Condition> Conditions =>
        [Finite, Centered, WellCentered, NotCollapsed, NotBlownUp, UnitScaleLow, UnitScaleHigh, TokensInVocabulary, TargetsValid, NoFeatureLost, NoFeatureIgnored, PretrainedNormalization.Agrees];

    public CheckOutcome Run(CheckContext context)
    {
        var capture = new Capture(Batches);
        var run = context.Train(new RunSpec($"{Id}: capturing model inputs", Batches) { Hooks = [capture] });
        run.Model.Dispose();
        using var inputs = cat(capture.Inputs, 0);
        using var targets = cat(capture.Targets, 0);
        capture.Dispose();

        var evidence = new Evidence().Number("examples_captured", inputs.shape[0]);
        evidence.Note($"Captured in the training loop, as model(x) received them: dtype {inputs.dtype}, shape ({string.Join(", ", inputs.shape)}).");
        TestTargets(context.Data, targets, evidence);
        string finding = inputs.is_floating_point() ? FloatInputs(context, inputs, targets, evidence) : TokenInputs(context.Data, inputs, targets, evidence);
        finding += TestLostFeatures(context, evidence);
        finding += PretrainedNormalization.Test(context, evidence);
        return CheckOutcome.FromConditions(evidence, finding,
            "Normalize inputs with the statistics of this data's training split (InputNormalizer.FitTo); for pretrained weights use exactly " +
            "the mean and std those weights were trained with, on the same scale (0–1 vs 0–255). Non-finite values usually come from " +
            "dividing by a zero standard deviation (a constant pixel or feature). A feature that varies in the data but reaches the model " +
            "as a constant was zeroed or overwritten by the transform (a wrong column index, a mask, a fill value).");
    }

    /// <summary>The transform applied to the stored training probe: features it zeroes (fail) or ignores (warn).</summary>
    static string TestLostFeatures(CheckContext context, Evidence evidence)
    {
        var lost = LostFeatures.Find(context.Data, context.Pipeline.Transform, context.TrainProbe);
        if (lost.Checked == 0) return "";
        evidence.Number("stored_features_checked", lost.Checked).Number("features_constant_at_the_door", lost.Constant.Count)
            .Number("features_ignored_by_the_transform", lost.Ignored.Count);
        evidence.Test(NoFeatureLost, lost.Constant.Count);
        evidence.Test(NoFeatureIgnored, lost.Ignored.Count);
        var names = context.Data.Table?.FeatureNames;
        string Name(long j) => names is not null && j < names.Count ? names[(int)j] : $"#{j}";
        string List(IReadOnlyList<long> features) => string.Join(", ", features.Take(8).Select(Name)) + (features.Count > 8 ? ", …" : "");
        if (lost.Constant.Count > 0)
            return $"; {lost.Constant.Count} of {lost.Checked} stored features vary in the data but are constant at model(x): {List(lost.Constant)}";
        return lost.Ignored.Count > 0 ? $"; the transform ignores {lost.Ignored.Count} of {lost.Checked} stored features: {List(lost.Ignored)}" : "";
    }

    static void TestTargets(Dataset data, Tensor targets, Evidence evidence)
    {
        using var scope = NewDisposeScope();
        long bad = data.Task switch
        {
            TaskKind.Classification => targets.lt(0).logical_or(targets.ge(data.ClassCount)).sum().item<long>(),
            TaskKind.Sequence => targets.lt(Losses.IgnoreIndex).logical_or(targets.ge(data.Vocabulary?.Size ?? long.MaxValue)).sum().item<long>(),
            _ => targets.isfinite().logical_not().sum().item<long>(),
        };
        evidence.Number("invalid_targets", bad);
        evidence.Test(TargetsValid, bad);
    }

    static string FloatInputs(CheckContext context, Tensor inputs, Tensor targets, Evidence evidence)
    {
        using var scope = NewDisposeScope();
        var x = inputs.to_type(float64);
        long nonFinite = x.isfinite().logical_not().sum().item<long>();
        // What the input is comes from the stored data, not the rank: flattened images keep per-channel statistics, one-hot is left alone.
        var layout = ModelInputLayout.Of(context.Data, x.nan_to_num(0, 0, 0));
        var perChannel = layout.Grouped(context.Data, x); // (C, values)
        var finite = perChannel.nan_to_num(0, 0, 0);
        evidence.Number("non_finite_values", nonFinite).Number("mean", finite.mean().item<double>()).Number("std", finite.std().item<double>())
            .Number("min", finite.min().item<double>()).Number("max", finite.max().item<double>());
        evidence.Note($"Judged as {layout.Description}.");
        evidence.Test(Finite, nonFinite);
        bool table = layout.Is == ModelInputLayout.Kind.Features;
        if (table)
        {
            // Indicator columns (one-hot, missing flags: only 0 and 1) are not standardized by design; constant ones carry nothing
            // here (a constant that varies in the stored data is judged by NoFeatureLost).
            var indicator = finite.eq(0).logical_or(finite.eq(1)).all(1);
            var constant = finite.std(1).lt(1e-12);
            var kept = indicator.logical_or(constant).logical_not().nonzero().squeeze(1);
            evidence.Number("indicator_features", indicator.sum().item<long>()).Number("constant_features", constant.logical_and(indicator.logical_not()).sum().item<long>());
            if (kept.shape[0] < finite.shape[0])
                evidence.Note($"{finite.shape[0] - kept.shape[0]} of {finite.shape[0]} features are indicators (only 0 and 1) or constant: left out of the mean and std rules.");
            finite = finite.index_select(0, kept);
        }
        bool judged = layout.Is != ModelInputLayout.Kind.Indicators;
        var means = judged ? Show.Values(finite.mean([1])) : [];
        var stds = judged && finite.shape[1] > 1 ? Show.Values(finite.std(1)) : [];
        double worstMean = means.Select(Math.Abs).DefaultIfEmpty(0).Max(), lowStd = stds.DefaultIfEmpty(1).Min(), highStd = stds.DefaultIfEmpty(1).Max();
        evidence.Number("largest_abs_channel_mean", worstMean).Number("smallest_channel_std", lowStd).Number("largest_channel_std", highStd);
        // A feature or channel scaled into [-1, 1] (min-max scaling of a table column, x/127.5 - 1 or x/255 for pixels) cannot be
        // off scale, only off centre when the data is mostly dark or mostly one value: its mean earns the soft rules only. A wrong mean
        // or std (ImageNet statistics on grey images, statistics of another scale) pushes values outside [-1, 1], where the hard rules hold.
        var bounded = means.Length > 0 && layout.Is != ModelInputLayout.Kind.Indicators
            ? Show.Values(finite.amin([1]).ge(-1).logical_and(finite.amax([1]).le(1))).Select(v => v > 0).ToArray()
            : new bool[means.Length];
        var strict = Enumerable.Range(0, means.Length).Where(c => !bounded[c]).ToArray();
        if (bounded.Any(b => b))
            evidence.Note($"{bounded.Count(b => b)} {(table ? "features" : "channels")} lie within [-1, 1] (scaled to a range): held to the soft rules (warnings) only.");
        if (means.Length > 0)
        {
            evidence.Test(Centered, strict.Select(c => Math.Abs(means[c])).DefaultIfEmpty(0).Max());
            evidence.Test(WellCentered, worstMean);
            // An image channel scaled to a range still spans it: a tiny spread is collapsed whatever the range (a 0–255 statistic
            // applied to 0–1 pixels), so only a table feature in [-1, 1] is spared this rule (a rare value scaled to a range).
            var spread = table ? strict : Enumerable.Range(0, means.Length).ToArray();
            evidence.Test(NotCollapsed, stds.Length == 0 ? 1 : spread.Select(c => stds[c]).DefaultIfEmpty(1).Min());
            evidence.Test(NotBlownUp, stds.Length == 0 ? 1 : strict.Select(c => stds[c]).DefaultIfEmpty(1).Max());
            evidence.Test(UnitScaleLow, lowStd);
            evidence.Test(UnitScaleHigh, highStd);
        }
        if (means.Length > 1)
            evidence.Table(table ? "per-feature statistics of the model input (indicators left out)" : "per-channel statistics of the model input", [table ? "feature" : "channel", "mean", "std"],
                means.Select((m, c) => (IReadOnlyList<string>)[c.ToString(), Show.N(m), Show.N(stds[c])]));

        var sample = perChannel.nan_to_num(0, 0, 0).flatten();
        if (sample.shape[0] > 50_000) sample = sample.index_select(0, arange(0, sample.shape[0], sample.shape[0] / 50_000));
        evidence.Picture(Charts.Histogram("values entering model(x)", "value", Show.Values(sample), bins: 60),
            "Histogram of every value that entered the model: a normalized input is centered on 0 with most values within ±3.");

        var data = context.Data;
        int shown = (int)Math.Min(32, inputs.shape[0]);
        var labels = Show.Values(targets.narrow(0, 0, shown)).Select(v => Show.Label(data, v)).ToArray();
        // Flattened images are pictured in their stored shape: the same values, as the eye knows them.
        var pictured = inputs.dim() != 4 && Show.IsImages(data) && layout.Is == ModelInputLayout.Kind.Channels
                       && inputs.numel() == inputs.shape[0] * data.ExampleShape.Aggregate(1L, (a, b) => a * b)
            ? inputs.reshape([inputs.shape[0], .. data.ExampleShape]) : inputs;
        if (pictured.dim() == 4)
        {
            var first = pictured.narrow(0, 0, shown);
            evidence.Picture(Show.ModelInputImages(first, labels),
                "The model input itself, labelled with its targets, through a fixed window (−3 black, 0 mid-gray, +3 white): " +
                "a normalized image shows its full range of grays, not a washed-out or black picture.");
            var decoded = context.Pipeline.InverseTransform is { } invert ? invert(inputs.narrow(0, 0, shown)) : null;
            if (decoded is not null && decoded.dim() != 4 && decoded.numel() == first.numel()) decoded = decoded.reshape(first.shape);
            if (decoded is { } pixels && pixels.dim() == 4)
                evidence.Picture(ImageGrid.Render(pixels.clamp(0, 1), 8, 2, labels),
                    "The same tensors decoded back to pixels with the pipeline's inverse transform: they must look like the data.");
        }
        else if (inputs.dim() == 2 && data.ExampleShape.Length == 1 && data.Task != TaskKind.Sequence)
        {
            var names = data.Table?.FeatureNames;
            int columns = (int)Math.Min(10, inputs.shape[1]);
            var header = new List<string> { "target" };
            header.AddRange(Enumerable.Range(0, columns).Select(c => names is not null && c < names.Count ? names[c] : $"x{c}"));
            evidence.Table($"the first rows entering the model (first {columns} of {inputs.shape[1]} features)", header,
                Enumerable.Range(0, Math.Min(8, shown)).Select(r =>
                    (IReadOnlyList<string>)[labels[r], .. Show.Values(inputs[r].narrow(0, 0, columns)).Select(Show.N)]));
        }
        if (!judged)
            return $"{inputs.shape[0]} examples captured at model(x): {layout.Description}; {nonFinite} non-finite values";
        return $"{inputs.shape[0]} examples captured at model(x): mean {Show.N(evidence["mean"])}, std {Show.N(evidence["std"])}, " +
               $"channel means up to |{Show.N(worstMean)}|, channel std {Show.N(lowStd)}–{Show.N(highStd)}, {nonFinite} non-finite values";
    }

    static string TokenInputs(Dataset data, Tensor inputs, Tensor targets, Evidence evidence)
    {
        long size = data.Vocabulary?.Size ?? long.MaxValue;
        long outside;
        using (var scope = NewDisposeScope())
            outside = inputs.lt(0).logical_or(inputs.ge(size)).sum().item<long>();
        evidence.Number("token_ids_outside_vocabulary", outside).Number("vocabulary_size", data.Vocabulary?.Size ?? 0);
        evidence.Test(TokensInVocabulary, outside);
        if (inputs.dim() == 2 && targets.dim() == 2)
            evidence.Table("the first sequences entering the model, decoded (␀ = line boundary, · = ignored target)", ["input x", "target y"],
                Enumerable.Range(0, (int)Math.Min(8, inputs.shape[0])).Select(r =>
                    (IReadOnlyList<string>)[Show.Tokens(data.Vocabulary, Show.Row(inputs, r)), Show.Tokens(data.Vocabulary, Show.Row(targets, r))]));
        return $"{inputs.shape[0]} token sequences captured at model(x): {outside} ids outside the vocabulary of {data.Vocabulary?.Size ?? 0}";
    }

    /// <summary>Copies the first batches that enter model(x) in the training loop.</summary>
    sealed class Capture(int batches) : ITrainingHook, IDisposable
    {
        public List<Tensor> Inputs { get; } = [];
        public List<Tensor> Targets { get; } = [];

        public void OnBatchInput(TrainingContext context, Tensor modelInput, Tensor targets)
        {
            if (Inputs.Count >= batches) return;
            Inputs.Add(modelInput.detach().clone().MoveToOuterDisposeScope());
            Targets.Add(targets.detach().clone().MoveToOuterDisposeScope());
        }

        public void Dispose()
        {
            foreach (var t in Inputs.Concat(Targets)) t.Dispose();
        }
    }
}
