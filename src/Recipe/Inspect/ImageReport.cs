using System.Globalization;
using Recipe.Reporting;
using static TorchSharp.torch;

namespace Recipe.Inspect;

/// <summary>The image sections of report.html: counts, galleries, mean images, statistics with their extremes, duplicates.</summary>
public static class ImageReport
{
    public static void Write(HtmlReport report, ImageAudit audit, InspectOptions options)
    {
        Counts(report, audit);
        Galleries(report, audit, options);
        Statistics(report, audit, options);
        Duplicates(report, audit, options);
        Problems(report, audit);
    }

    static string Caption(ImageAudit audit, int g)
    {
        var (s, i) = audit.Numbering.Locate(g);
        return $"{audit.Numbering.Splits[s].Name[..2]}{i} {Short(ExampleNumbering.LabelName(audit.Data, audit.Targets[g]))}";
    }

    static string Short(string? label) => label is null ? "" : label.Length <= 8 ? label : label[..7] + "…";

    static void Counts(HtmlReport report, ImageAudit audit)
    {
        var data = audit.Data;
        var splits = audit.Numbering.Splits;
        report.Heading("Counts and class balance");
        report.Table(["class", .. splits.Select(s => s.Name), "all"],
            Enumerable.Range(0, data.ClassCount).Select(c => (IReadOnlyList<string>)
                [data.ClassNames[c], .. splits.Select((_, s) => audit.ClassCounts[s, c].ToString("N0")),
                 Enumerable.Range(0, splits.Count).Sum(s => audit.ClassCounts[s, c]).ToString("N0")]));
        report.Paragraph($"Imbalance ratio in train (largest class / smallest class): {audit.ImbalanceRatio:F2}.");
        var series = splits.Select((split, s) =>
        {
            double total = Math.Max(1, Enumerable.Range(0, data.ClassCount).Sum(c => audit.ClassCounts[s, c]));
            return (split.Name, Enumerable.Range(0, data.ClassCount).Select(c => audit.ClassCounts[s, c] / total).ToArray());
        }).Where(p => p.Item2.Sum() > 0).ToList();
        report.Image(Charts.GroupedBars("class distribution per split", "share of the split", data.ClassNames, series),
            "Share of each class in each split, side by side: the splits should look alike.");
    }

    static void Galleries(HtmlReport report, ImageAudit audit, InspectOptions options)
    {
        var data = audit.Data;
        report.Heading("Galleries");
        report.Paragraph($"Up to {options.GalleryPerClass} training examples of each class, chosen at random (seed {options.Seed}), in file order. " +
                         "Look for examples that do not belong, odd framing, and how much each class varies.");
        var random = new Random(options.Seed);
        var train = audit.Numbering.Splits.ToList().FindIndex(s => s.Name == "train");
        int offset = audit.Numbering.Offset(train), count = audit.Numbering.Splits[train].Count;
        for (int c = 0; c < data.ClassCount; c++)
        {
            var members = Enumerable.Range(offset, count).Where(g => audit.Targets[g] == c).ToArray();
            random.Shuffle(members);
            var shown = members.Take(options.GalleryPerClass).Order().ToArray();
            if (shown.Length == 0) continue;
            report.Image(ImagePicker.Grid(audit.Numbering, shown, columns: 25, scale: 2),
                $"{data.ClassNames[c]}: {shown.Length} of {members.Length} training examples");
        }
        report.Heading("Mean image per class", 3);
        using (NewDisposeScope())
        {
            var means = Enumerable.Range(0, data.ClassCount).Select(c =>
            {
                var members = Enumerable.Range(offset, count).Where(g => audit.Targets[g] == c).ToArray();
                return members.Length == 0
                    ? zeros(data.ExampleShape, dtype: uint8)
                    : ImagePicker.Gather(audit.Numbering, members).to_type(float32).mean([0]).round().to_type(uint8);
            }).ToArray();
            report.Image(ImageGrid.Render(stack(means, 0), columns: Math.Min(10, means.Length), scale: 4, labels: data.ClassNames.Select(Short).ToArray()),
                "The average training image of each class: what is common to the class, and where it sits in the frame.");
        }
    }

    static void Statistics(HtmlReport report, ImageAudit audit, InspectOptions options)
    {
        report.Heading("Per-example statistics");
        report.Paragraph("Every statistic of every image (all splits), its distribution, and the images at both ends: outliers along an axis " +
                         "often reveal bugs in the data. Query them with --where and --sort (e.g. --sort contrast --top 64).");
        report.Table(["statistic", "meaning", "min", "median", "max"], ImageStatistics.Definitions.Select(d =>
        {
            var finite = audit.Statistics[d.Name].Where(float.IsFinite).Select(v => (double)v).Order().ToArray();
            return (IReadOnlyList<string>)[d.Name, d.Meaning, Format(finite.FirstOrDefault(double.NaN)), Format(RobustOutliers.Median(finite)), Format(finite.LastOrDefault(double.NaN))];
        }));
        foreach (var (name, meaning, _) in ImageStatistics.Definitions)
        {
            var values = audit.Statistics[name];
            report.Heading(name, 3);
            report.Image(Charts.Histogram($"{name}: {meaning}", name, values.Select(v => (double)v).ToArray(), bins: 50), $"Distribution of {name} over all {values.Length:N0} images.");
            var order = Enumerable.Range(0, values.Length).Where(g => float.IsFinite(values[g])).OrderBy(g => values[g]).ToArray();
            if (order.Length == 0) continue;
            string Label(int g) => values[g].ToString("G3", CultureInfo.InvariantCulture);
            report.Image(ImagePicker.Grid(audit.Numbering, order.Take(options.StripLength).ToArray(), Label, columns: options.StripLength, scale: 2),
                $"Lowest {name}, lowest first.");
            report.Image(ImagePicker.Grid(audit.Numbering, order.TakeLast(options.StripLength).Reverse().ToArray(), Label, columns: options.StripLength, scale: 2),
                $"Highest {name}, highest first.");
        }
    }

    static void Duplicates(HtmlReport report, ImageAudit audit, InspectOptions options)
    {
        var near = audit.NearDuplicates;
        report.Heading("Duplicates");
        report.Paragraph($"Exact duplicates: identical pixels (each image hashed once, groups confirmed byte for byte): {audit.ExactGroups.Count} groups, " +
                         $"{audit.ExactGroups.Sum(g => g.Length)} images.");
        report.Paragraph($"Near duplicates: {near.Pairs.Count} pairs in {audit.NearGroups.Count} clusters; {near.Indexed:N0} images indexed, " +
                         $"{near.Compared:N0} descriptor comparisons (all pairs at all shifts would be {(double)near.Indexed * (near.Indexed - 1) / 2 * ShiftedDescriptors.HalfPlane(near.Options.MaxShift).Length:N0}), " +
                         $"{near.Candidates:N0} candidates verified in {near.Elapsed.TotalSeconds:F1} s.");
        report.Paragraph($"Method: {near.Method}", "muted");
        Groups(report, audit, "Exact duplicates", audit.ExactGroups, options);
        var crossExact = audit.ExactGroups.Where(g => audit.Numbering.SplitsOf(g).Contains('+')).ToList();
        var crossNear = audit.NearGroups.Where(g => audit.Numbering.SplitsOf(g).Contains('+')).ToList();
        Groups(report, audit, "Across splits (leakage: the same picture in training and evaluation)", [.. crossExact, .. crossNear], options);
        var conflicting = audit.ExactGroups.Concat(audit.NearGroups).Where(g => g.Select(x => audit.Targets[x]).Distinct().Count() > 1).ToList();
        Groups(report, audit, "Conflicting labels (copies that carry different labels)", conflicting, options);
        Groups(report, audit, "Near duplicates, closest first", audit.NearGroups
            .OrderBy(g => near.Pairs.Where(p => g.Contains(p.A)).Min(p => p.Distance)).ToList(), options);
    }

    static void Groups(HtmlReport report, ImageAudit audit, string title, IReadOnlyList<int[]> groups, InspectOptions options)
    {
        report.Heading($"{title}: {groups.Count}", 3);
        if (groups.Count == 0) return;
        var shown = groups.Take(options.DuplicatePictures).ToList();
        var cells = new List<int>();
        var captions = new List<string>();
        const int columns = 8;
        foreach (var group in shown)
        {
            var members = group.Take(columns).ToList();
            cells.AddRange(members);
            captions.AddRange(members.Select(g => Caption(audit, g)));
            while (cells.Count % columns != 0) { cells.Add(-1); captions.Add(""); }   // one group per row
        }
        var images = cells.Select(g => g < 0 ? cells.First(x => x >= 0) : g).ToList();
        using var scope = NewDisposeScope();
        var gathered = ImagePicker.Gather(audit.Numbering, images);
        var blank = tensor(cells.Select(g => g < 0 ? 0f : 1f).ToArray()).view(-1, 1, 1, 1);
        var masked = (gathered.to_type(float32) * blank + 230 * (1 - blank)).to_type(uint8);   // padding cells drawn as background
        report.Image(ImageGrid.Render(masked, columns, 3, captions), $"One group per row (split, index, label); {shown.Count} of {groups.Count} groups shown, all in summary.json.");
    }

    static void Problems(HtmlReport report, ImageAudit audit)
    {
        var blank = audit.Findings.Where(f => f.Kind == FindingKind.Blank).SelectMany(f => f.Examples).ToList();
        report.Heading($"Blank or constant images: {blank.Count}", 3);
        if (blank.Count > 0)
        {
            var globals = blank.Take(64).Select(e => audit.Numbering.Offset(audit.Numbering.Splits.ToList().FindIndex(s => s.Name == e.Split)) + e.Index).ToArray();
            report.Image(ImagePicker.Grid(audit.Numbering, globals, g => Caption(audit, g)), "Blank images (first 64).");
        }
        var unreadable = UnreadableFiles.Details(audit.Data);
        report.Heading($"Unreadable files: {unreadable.Count}", 3);
        if (unreadable.Count > 0) report.Table(["file", "reason"], unreadable.Select(f => (IReadOnlyList<string>)[f.Path, f.Reason]));
        var outside = audit.Findings.Where(f => f.Kind == FindingKind.LabelOutsideClasses).SelectMany(f => f.Examples).ToList();
        report.Heading($"Labels outside the classes: {outside.Count}", 3);
        if (outside.Count > 0) report.Table(["split", "index", "origin", "label"], outside.Select(e => (IReadOnlyList<string>)[e.Split, e.Index.ToString(), e.Origin, e.Label ?? ""]));
    }

    static string Format(double v) => double.IsNaN(v) ? "n/a" : v.ToString("G4", CultureInfo.InvariantCulture);
}
