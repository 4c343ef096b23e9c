using Recipe.Checks.Splits;
using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Checks.Stage2;

/// <summary>
/// Split integrity of the data the pipeline actually uses (<see cref="CheckContext.Data"/>, which a user's provider
/// may have built itself): held-out examples that also appear in an earlier split, exactly or as a near copy (an image
/// shifted, re-lit or noisy; a line re-cased or re-spaced), and table features that know the held-out targets. Every bar
/// is a control from the same data: copies and near copies against how often training examples find one in the rest of
/// train (a random half against the other half, <see cref="CrossSplitCopies"/>; for image near copies, seeded samples
/// against the rest of train, <see cref="ImageNearCopies"/>); a feature's held-out association against the same rows with
/// the split labels shuffled (<see cref="HeldOutAssociation"/>); a per-value encoding against the train-only mean
/// (<see cref="HeldOutTargetEncoding"/>).
/// </summary>
public sealed class SplitIntegrity : ICheck
{
    /// <summary>Copies shown in the evidence, per relation.</summary>
    const int ShownCopies = 12;

    public static readonly Condition CopiesWithinChance =
        Condition.AtMost("held-out examples with a copy in an earlier split ÷ the most chance explains (control: copies within train)", 1);

    public static readonly Condition NearCopiesWithinChance =
        Condition.AtMost("held-out examples with a near copy (shifted, re-lit, noisy; re-cased, re-spaced) in an earlier split ÷ the most chance explains (control: near copies within train)", 1);

    /// <summary>
    /// A table feature sits this many times closer to the per-value mean target computed with held-out rows than to
    /// the one computed on train alone: it was computed from the held-out answers (a target encoding over all splits).
    /// The control is the train-only mean itself: an encoding fitted on train sits at distance 0 from it, an honest
    /// feature is about as far from both; 10× (an order of magnitude) separates the three.
    /// </summary>
    public static readonly Condition NotEncodedWithHeldOutTargets =
        Condition.AtLeast("a feature's distance to its per-value mean target computed with held-out rows ÷ computed on train alone (closest feature)", 0.1);

    public static readonly Condition AssociationWithinChance =
        Condition.AtMost("a feature's share of the target explained on a held-out split minus on train ÷ the largest gap chance gives any feature (control: split labels shuffled), among features far stronger on the held-out rows", 1);

    public string Id => "split-integrity";
    public int Stage => 2;
    public string Hypothesis =>
        "The validation and test examples the pipeline uses do not reappear, exactly or nearly, in its training split (or test in validation) more " +
        "often than copies within the training split predict, and no feature knows more about the held-out targets than about the training ones.";
    public bool Blocking => true;

    public IReadOnlyList<Condition> Conditions => [CopiesWithinChance, NearCopiesWithinChance, NotEncodedWithHeldOutTargets, AssociationWithinChance];

    public CheckOutcome Run(CheckContext context)
    {
        var data = context.Data;
        var evidence = new Evidence();
        Describe(data, evidence);
        if (data.Train.Count < 2 || data.Validation.Count + data.Test.Count == 0)
            return CheckOutcome.Skipped($"nothing to compare: {data.Train.Count} training and {data.Validation.Count + data.Test.Count} held-out examples");

        var splits = data.Splits.ToArray();
        var leaked = new List<(string HeldOut, string Into)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var exact = CopyRelation.Exact(splits);
        var (control, pairs) = CrossSplitCopies.Measure(exact, splits, context.Seed);
        evidence.Number("exact_search_seconds", clock.Elapsed.TotalSeconds);
        var clauses = new List<string> { TestCopies(control, pairs, exact.Kind, HalfTrainControl(control, exact.Kind), splits, evidence, CopiesWithinChance, "", leaked) };
        if (NearCopies(data, splits, exact, context.Seed, context.Options.StageOneFingerprints, evidence) is { } near)
            clauses.Add(TestCopies(near.Control, near.Pairs, "near copies", near.ControlNote, splits, evidence, NearCopiesWithinChance, "near_", leaked));
        if (HeldOutTargetEncoding.Applies(data))
        {
            var (clause, ratio) = HeldOutTargetEncoding.Test(data, evidence, NotEncodedWithHeldOutTargets);
            clauses.Add(clause);
            if (ratio < NotEncodedWithHeldOutTargets.Threshold)
                leaked.AddRange([("validation", "its own target"), ("test", "its own target")]);
        }
        if (HeldOutAssociation.Applies(data))
            clauses.Add(TestAssociation(data, context.Seed, evidence, leaked));
        if (LeakConsequences.Describe(leaked) is { } invalidated)
        {
            evidence.Note(invalidated);
            clauses.Add(invalidated);
        }
        return CheckOutcome.FromConditions(evidence, string.Join("; ", clauses),
            "A feature computed from held-out targets (a per-category mean target over all splits, a value filled in from the answer on " +
            "validation rows) hands each validation and test row its own answer: compute features from the training rows only (encodings " +
            "out-of-fold within train). Held-out examples that also sit in an earlier split, exactly or as a slightly altered copy, are " +
            "scored on what the model was trained (or tuned) on: every validation and test metric reported for this pipeline (accuracy, " +
            "loss, the baselines' comparisons, early stopping) is optimistic and cannot be trusted until the splits are disjoint. Build the " +
            "splits once, from distinct examples (deduplicate before splitting, split by source/group when near copies are natural), and " +
            "never append validation or test rows, or altered copies of them, to the training split.");
    }

    /// <summary>What the checks ran on, as the provider built it (not the --data passed alongside).</summary>
    static void Describe(Dataset data, Evidence evidence)
    {
        foreach (var split in data.Splits) evidence.Number($"{split.Name}_examples", split.Count);
        evidence.Note($"Dataset checked: '{data.Name}' ({data.Format}, {data.Task}) from {data.Source}; one input is " +
                      $"({string.Join(", ", data.ExampleShape)}); splits as the pipeline built them: " +
                      string.Join(", ", data.Splits.Select(s => $"{s.Name} {s.Count} (inputs {string.Join("×", s.Inputs.shape)})")) + ".");
    }

    static string HalfTrainControl(CopyControl control, string kind) =>
        $"Control ({kind}): {control.WithCopy} of {control.HeldOut} examples of a random half of the training split have " +
        $"{kind} in the other {control.Reference} (what the data has anyway); chance rates scale that to each pair.";

    /// <summary>
    /// Near copies for images (sampled, <see cref="ImageNearCopies"/>) and lines of text (tables: exact copies only), each
    /// held-out split against its control; null when the data has no such notion.
    /// </summary>
    static (CopyControl Control, List<SplitPairCopies> Pairs, string ControlNote)? NearCopies(Dataset data, DataSplit[] splits, CopyRelation exact, long seed,
        FingerprintHandOff? stageOne, Evidence evidence)
    {
        if (ImageNearCopies.Applies(data))
        {
            var options = new NearDuplicateOptions();
            var known = stageOne?.Take(splits, options);
            var measured = ImageNearCopies.Measure(splits, exact, seed, options, known);
            evidence.Number("near_fingerprints_from_stage_1", known is null ? 0 : 1);
            evidence.Number("near_pairs", measured.Pairs.Sum(p => p.WithCopy.Count) + measured.Control.WithCopy)
                .Number("near_sample", measured.Sample).Number("near_resolution", measured.Resolution)
                .Number("near_search_seconds", measured.Elapsed.TotalSeconds);
            foreach (var (step, seconds) in measured.Seconds) evidence.Number($"near_{step}_seconds", seconds);
            evidence.Note($"Near copies (images): stage 1's fingerprints (background removed, resampled to {options.WorkSize}×{options.WorkSize}, blurred, divided " +
                          $"by the standard deviation: brightness and contrast changes vanish) and descriptors at every shift up to ±{options.MaxShift} px; a " +
                          $"near copy is within RMS {options.Threshold} at the best shift and at most {options.DistinctRatio} of the distance to the image's " +
                          $"{options.CrowdNeighbours}th nearest other look-alike in the reference split. Measured on seeded samples of up to {measured.Sample} " +
                          $"images per split, grown (from {ImageNearCopies.FirstSample}, doubling) until the count test resolves a leak of " +
                          $"{Show.P(ImageNearCopies.DetectableLeak)} of a held-out split above chance (resolved: {Show.P(measured.Resolution)}); every " +
                          "reference split is indexed whole.");
            var controlNote = $"Control (near copies): {measured.Control.WithCopy} of {measured.Control.HeldOut} sampled training images have a near copy " +
                              "among the other training images (what the data has anyway); chance rates scale that to each pair.";
            return (measured.Control, measured.Pairs, controlNote);
        }
        if (TextNearCopies.Applies(data))
        {
            var lines = TextNearCopies.Lines(splits, data.Vocabulary!);
            var pairs = TextNearCopies.Pairs(lines);
            evidence.Number("near_pairs", pairs.Count);
            evidence.Note($"Near copies (lines): equal once case, spacing and punctuation are set aside, or (lines of at least {SimilarText.MinLength} " +
                          $"characters) sharing at least {SimilarText.Threshold:P0} of their character 5-grams.");
            var near = CopyRelation.Near(exact, pairs);
            var (control, measured) = CrossSplitCopies.Measure(near, splits, seed);
            return (control, measured, HalfTrainControl(control, near.Kind));
        }
        return null;
    }

    /// <summary>Counts held-out examples with a partner in an earlier split against chance; adds the evidence; returns a clause for the finding.</summary>
    static string TestCopies(CopyControl control, List<SplitPairCopies> pairs, string kind, string controlNote, DataSplit[] splits, Evidence evidence,
        Condition condition, string prefix, List<(string, string)> leaked)
    {
        evidence.Number($"{prefix}control_held_out", control.HeldOut).Number($"{prefix}control_with_copy", control.WithCopy)
            .Number($"{prefix}control_reference", control.Reference);
        var shown = new List<string>();
        string name = prefix == "" ? "copies" : "near_copies", sign = prefix == "" ? "=" : "≈";
        foreach (var pair in pairs)
        {
            evidence.Number($"{pair.HeldOut}_in_{pair.Reference}_{name}", pair.WithCopy.Count)
                .Number($"{pair.HeldOut}_in_{pair.Reference}_{prefix}chance_ceiling", pair.Ceiling);
            if (pair.Ratio > condition.Threshold) leaked.Add((pair.HeldOut, pair.Reference));
            var held = splits.First(s => s.Name == pair.HeldOut);
            var reference = splits.First(s => s.Name == pair.Reference);
            foreach (var (i, partner) in pair.WithCopy.Take(Math.Max(0, ShownCopies - shown.Count)))
                shown.Add($"{held.Name}#{i} ({held.OriginOf(i)}) {sign} {reference.Name}#{partner} ({reference.OriginOf(partner)})");
        }
        evidence.Table($"held-out examples whose stored input has {kind} in an earlier split, against chance",
            ["held-out split", "found in", "examples", $"with {kind}", "rate", "chance rate", "most chance explains (count)"],
            pairs.Select(p => (IReadOnlyList<string>)[p.HeldOut, p.Reference, p.Examples.ToString(), p.WithCopy.Count.ToString(),
                Show.N(p.WithCopy.Count / (double)p.Examples), Show.N(p.ChanceRate), p.Ceiling.ToString()]));
        evidence.Note(controlNote);
        if (shown.Count > 0) evidence.Note($"{char.ToUpperInvariant(kind[0])}{kind[1..]} (split#index, origin): " + string.Join("; ", shown));
        double worst = pairs.Count == 0 ? 0 : pairs.Max(p => p.Ratio);
        evidence.Number($"worst_{prefix}copy_ratio", worst);
        evidence.Test(condition, worst);
        return $"held-out examples with {kind} in an earlier split (most chance explains): " +
               string.Join(", ", pairs.Select(p => $"{p.HeldOut} in {p.Reference} {p.WithCopy.Count}/{p.Examples} ({p.Ceiling})"));
    }

    /// <summary>Each table feature's held-out association against train and the shuffled-splits control; returns a clause for the finding.</summary>
    static string TestAssociation(Dataset data, long seed, Evidence evidence, List<(string, string)> leaked)
    {
        var gaps = HeldOutAssociation.Measure(data, seed);
        if (gaps.Count == 0)
        {
            evidence.Note("Held-out association: the held-out splits are too small to compare features across splits.");
            return "held-out splits too small to compare feature associations";
        }
        var names = data.Table?.FeatureNames;
        string NameOf(int j) => names is not null && j < names.Count ? names[j] : $"x{j}";
        // Only a far stronger association counts (the effect); among those, the one furthest beyond chance decides.
        var far = gaps.Where(g => g.FarStronger).ToList();
        var worst = far.Count > 0 ? far.MaxBy(g => g.Ratio)! : gaps.MaxBy(g => g.Ratio)!;
        double ratio = far.Count > 0 ? worst.Ratio : Math.Min(worst.Ratio, 1);
        evidence.Number("association_gap", worst.Gap).Number("association_ceiling", worst.Ceiling).Number("association_ratio", ratio);
        evidence.Test(AssociationWithinChance, ratio);
        evidence.Table("features by how much more of the target they explain on a held-out split than on train (binned η²), against chance",
            ["feature", "held-out split", "explained on train", "explained held out", "gap", "chance ceiling (shuffled splits)", "far stronger"],
            gaps.OrderByDescending(g => g.Ratio).Take(8).Select(g => (IReadOnlyList<string>)[NameOf(g.Feature), g.HeldOut, Show.N(g.TrainShare),
                Show.N(g.HeldOutShare), Show.N(g.Gap), Show.N(g.Ceiling), g.FarStronger ? "yes" : "no"]));
        evidence.Note($"Held-out association control: the split labels of train and each held-out split shuffled {HeldOutAssociation.Shuffles} times " +
                      $"(sizes kept); the largest gap over all features has mean {Show.N(worst.NullMean)} and deviation {Show.N(worst.NullDeviation)}; " +
                      $"chance ceiling = mean + {HeldOutAssociation.TailDeviations} deviations.");
        if (ratio <= AssociationWithinChance.Threshold)
            return $"no feature knows the held-out targets better than the training ones (largest gap {Show.N(worst.Gap)}, chance ceiling {Show.N(worst.Ceiling)})";
        foreach (var g in far.Where(g => g.Ratio > AssociationWithinChance.Threshold)) leaked.Add((g.HeldOut, $"feature '{NameOf(g.Feature)}'"));
        var split = data.Split(worst.HeldOut);
        evidence.Note($"Feature '{NameOf(worst.Feature)}' on {worst.HeldOut} rows, with their targets: " + Rows(data, split, worst.Feature, 6));
        return $"feature '{NameOf(worst.Feature)}' explains {Show.P(worst.HeldOutShare)} of the {worst.HeldOut} targets but {Show.P(worst.TrainShare)} of the training " +
               $"ones (gap {Show.N(worst.Gap)}, chance gives at most {Show.N(worst.Ceiling)}): it was computed with the held-out answers";
    }

    /// <summary>The first rows of a split as "split#i: value → target".</summary>
    static string Rows(Dataset data, DataSplit split, int feature, int count)
    {
        int n = Math.Min(count, split.Count);
        using var x = split.Inputs.narrow(0, 0, n).select(1, feature).to_type(TorchSharp.torch.float64);
        using var y = split.Targets.narrow(0, 0, n).to_type(TorchSharp.torch.float64);
        var values = TensorCopy.ToArray<double>(x);
        var targets = TensorCopy.ToArray<double>(y);
        return string.Join("; ", Enumerable.Range(0, n).Select(i =>
            $"{split.Name}#{i}: {Show.N(values[i])} → {(data.Task == TaskKind.Classification ? Show.Label(data, targets[i], 20) : Show.N(targets[i]))}"));
    }
}
