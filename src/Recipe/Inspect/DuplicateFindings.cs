namespace Recipe.Inspect;

/// <summary>
/// Turns groups of duplicate examples (global numbers) into findings: a duplicate within a split, a
/// duplicate across splits (the same example in train and test: leakage), and a duplicate whose copies
/// carry different labels (at least one label is wrong).
/// </summary>
public static class DuplicateFindings
{
    /// <param name="groups">Each group: examples that are copies of each other.</param>
    /// <param name="exact">True for identical examples, false for near duplicates.</param>
    /// <param name="targets">Target of each example (class index), or null when there are no labels.</param>
    /// <param name="statistics">Numbers to attach to the findings of a group (e.g. distances), or null.</param>
    /// <param name="show">The content of an example for the message (a line of text), or null to name examples only.</param>
    public static List<Finding> From(IReadOnlyList<int[]> groups, bool exact, ExampleNumbering numbering, long[]? targets,
        Func<int[], Dictionary<string, double>>? statistics = null, Func<int, string>? show = null)
    {
        var findings = new List<Finding>();
        string what = exact ? "identical" : "near-identical";
        foreach (var group in groups)
        {
            var numbers = statistics?.Invoke(group) ?? [];
            numbers["exact"] = exact ? 1 : 0;
            numbers["members"] = group.Length;
            ExampleRef Ref(int g) => numbering.Ref(g, targets?[g]);
            foreach (var split in group.GroupBy(numbering.SplitName).Where(s => s.Count() > 1))
            {
                var members = split.Select(Ref).ToList();
                findings.Add(new Finding(exact ? FindingKind.ExactDuplicate : FindingKind.NearDuplicate, split.Key,
                    $"{members.Count} {what} examples in {split.Key}: {Listed([.. split], members)}", members, new Dictionary<string, double>(numbers)));
            }
            var all = group.Select(Ref).ToList();
            var splits = numbering.SplitsOf(group);
            if (splits.Contains('+'))
                findings.Add(new Finding(FindingKind.CrossSplitDuplicate, splits,
                    $"{what} examples in {splits.Replace("+", " and ")}: {Listed(group, all)}", all, new Dictionary<string, double>(numbers)));
            if (targets is not null && group.Select(g => targets[g]).Distinct().Count() > 1)
                findings.Add(new Finding(FindingKind.ConflictingLabel, splits,
                    $"{what} examples with different labels: {Names(all, withLabels: true)}", all, new Dictionary<string, double>(numbers)));
        }
        return findings;

        // Identical copies share one content, shown once; near copies each show their own.
        string Listed(int[] members, List<ExampleRef> refs) =>
            show is null ? Names(refs)
            : exact ? $"{Names(refs)}: {show(members[0])}"
            : string.Join(", ", members.Take(Shown).Select((g, i) => $"{Name(refs[i])} {show(g)}")) + (members.Length > Shown ? $", … (+{members.Length - Shown} more)" : "");
    }

    /// <summary>Examples named in a message; the rest are counted.</summary>
    const int Shown = 4;

    /// <summary>"train#12, test#7, … (+3 more)", with labels when asked.</summary>
    public static string Names(IReadOnlyList<ExampleRef> examples, bool withLabels = false, int shown = Shown)
    {
        var names = examples.Take(shown).Select(e => Name(e) + (withLabels && e.Label is not null ? $" ({e.Label})" : ""));
        var more = examples.Count > shown ? $", … (+{examples.Count - shown} more)" : "";
        return string.Join(", ", names) + more;
    }

    /// <summary>"train#12", or the file name when the example came from a file.</summary>
    public static string Name(ExampleRef e) =>
        e.Origin.StartsWith('#') || e.Origin.StartsWith("line ", StringComparison.Ordinal) ? $"{e.Split}#{e.Index}" : $"{e.Split}#{e.Index} ({Path.GetFileName(e.Origin)})";
}
