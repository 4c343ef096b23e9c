namespace Recipe.Inspect;

/// <summary>
/// Lines that say nearly the same thing: a word changed, punctuation or spacing edited, a typo fixed.
/// Such copies leak between train and test as surely as exact ones. Each line is normalized (lower
/// case, every run of characters that are not letters or digits becomes one space), cut into
/// character 5-grams, and summarized by a MinHash signature; lines whose signatures agree on a whole
/// band become candidates (locality-sensitive hashing), and a candidate pair is kept only when the
/// exact Jaccard similarity of its 5-gram sets reaches <see cref="Threshold"/>.
/// </summary>
/// <remarks>
/// Lines shorter than <see cref="MinLength"/> normalized characters are left out: two short lines (two
/// words of a dictionary, "cat" and "cats") share most of their 5-grams without being copies. Lines
/// equal up to case and surrounding space are left to the case-or-space duplicate finding, unless they
/// also join a group of other similar lines. All hashing is seeded and platform-independent, so the same
/// file always gives the same groups.
/// </remarks>
public static class SimilarText
{
    /// <summary>Least Jaccard similarity of two lines' 5-gram sets to call them near duplicates.</summary>
    public const double Threshold = 0.7;
    /// <summary>Lines shorter than this (after normalization) are not compared.</summary>
    public const int MinLength = 32;

    const int ShingleLength = 5;
    const int Bands = 20, RowsPerBand = 4; // P(candidate) = 1 − (1 − J⁴)²⁰: 0.996 at J = 0.7, 0.72 at J = 0.5 (then rejected exactly)

    /// <summary>Groups (global example numbers, sorted) of lines that are near duplicates but not all the same after normalization.</summary>
    public static List<(int[] Members, double LeastSimilarity)> Groups(IReadOnlyList<string> texts)
    {
        // One representative per distinct normalized line: copies are compared once, not pairwise.
        var linesOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < texts.Count; i++)
        {
            var line = Normalize(texts[i]);
            if (line.Length < MinLength) continue;
            if (!linesOf.TryGetValue(line, out var lines)) linesOf[line] = lines = [];
            lines.Add(i);
        }
        var distinct = linesOf.Keys.ToArray();
        var shingles = distinct.Select(Shingles).ToArray();

        var pairs = new Dictionary<(int, int), double>();
        var buckets = new Dictionary<(int Band, ulong Key), List<int>>();
        for (int i = 0; i < distinct.Length; i++)
        {
            var signature = Signature(shingles[i]);
            for (int band = 0; band < Bands; band++)
            {
                ulong key = 14695981039346656037UL;
                for (int r = 0; r < RowsPerBand; r++) key = Mix(key ^ signature[band * RowsPerBand + r]);
                if (!buckets.TryGetValue((band, key), out var members)) buckets[(band, key)] = members = [];
                foreach (int j in members)
                    if (!pairs.ContainsKey((j, i)))
                        pairs[(j, i)] = Jaccard(shingles[j], shingles[i]);
                members.Add(i);
            }
        }

        var similar = pairs.Where(p => p.Value >= Threshold).ToList();
        var clusters = UnionFind.Groups(distinct.Length, similar.Select(p => p.Key));
        // One pass over the pairs for each cluster's least similarity (both ends of a pair share a cluster).
        var clusterOf = new Dictionary<int, int>();
        for (int c = 0; c < clusters.Count; c++)
            foreach (int d in clusters[c]) clusterOf[d] = c;
        var least = new double[clusters.Count];
        Array.Fill(least, 1.0);
        foreach (var ((a, _), similarity) in similar)
            least[clusterOf[a]] = Math.Min(least[clusterOf[a]], similarity);
        var groups = clusters
            .Select((cluster, c) => (Members: cluster.SelectMany(d => linesOf[distinct[d]]).Order().ToArray(), LeastSimilarity: least[c]))
            .ToList();
        // Lines equal only after normalization ("Hello, world!" and "hello world"), which the case-or-space
        // duplicates miss; copies equal up to case and space alone are reported there already.
        var grouped = groups.SelectMany(g => g.Members).ToHashSet();
        foreach (var lines in linesOf.Values)
            if (lines.Count > 1 && !grouped.Contains(lines[0]) &&
                lines.Select(i => texts[i].Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).Count() > 1)
                groups.Add(([.. lines], 1.0));
        return [.. groups.OrderBy(g => g.Members[0])];
    }

    /// <summary>Lower case; every run of characters that are not letters or digits becomes one space; trimmed.</summary>
    public static string Normalize(string text)
    {
        var chars = new List<char>(text.Length);
        bool gap = false;
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (gap && chars.Count > 0) chars.Add(' ');
                chars.Add(char.ToLowerInvariant(c));
                gap = false;
            }
            else gap = true;
        }
        return new string([.. chars]);
    }

    /// <summary>Jaccard similarity of two sorted, distinct arrays.</summary>
    public static double Jaccard(ulong[] a, ulong[] b)
    {
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { common++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        int union = a.Length + b.Length - common;
        return union == 0 ? 1 : common / (double)union;
    }

    /// <summary>The distinct hashed 5-grams of a normalized line, sorted.</summary>
    static ulong[] Shingles(string line)
    {
        var set = new HashSet<ulong>();
        for (int start = 0; start + ShingleLength <= line.Length; start++)
        {
            ulong h = 14695981039346656037UL; // FNV-1a: string.GetHashCode is randomized per process
            for (int k = start; k < start + ShingleLength; k++) h = (h ^ line[k]) * 1099511628211UL;
            set.Add(h);
        }
        var sorted = set.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>MinHash: for each of Bands × RowsPerBand seeded hash functions, the least hash over the shingles.</summary>
    static ulong[] Signature(ulong[] shingles)
    {
        var signature = new ulong[Bands * RowsPerBand];
        for (int f = 0; f < signature.Length; f++)
        {
            ulong seed = Mix((ulong)(f + 1) * 0x9E3779B97F4A7C15UL), least = ulong.MaxValue;
            foreach (ulong s in shingles) least = Math.Min(least, Mix(s ^ seed));
            signature[f] = least;
        }
        return signature;
    }

    /// <summary>SplitMix64's finalizer: a fast, well-spread 64-bit mix.</summary>
    static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
