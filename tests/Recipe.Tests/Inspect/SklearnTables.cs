using System.Globalization;
using System.IO.Compression;
using System.Text;
using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>
/// scikit-learn's real tables as shipped by Debian (python3-sklearn), turned into CSVs with a header (the raw files
/// start with a line of counts and class names) and audited. A column may be planted before the target, computed
/// from the row's features, its target and a seeded random source, to prove a detector on real data.
/// </summary>
public static class SklearnTables
{
    public const string Folder = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    /// <summary>The classification tables and the regression table (diabetes).</summary>
    public static readonly string[] Names = ["iris", "wine", "breast_cancer", "digits", "diabetes"];

    /// <summary>A planted column: header name and the value of a row from (row index, features, target, random).</summary>
    public sealed record Planted(string Name, Func<int, double[], string, Random, string> Value);

    /// <summary>Feature rows and each row's target (class name, or the number for diabetes).</summary>
    public static (double[][] Features, string[] Targets) Read(string name)
    {
        Assert.True(Directory.Exists(Folder), $"{Folder} is missing: apt-get install python3-sklearn");
        switch (name)
        {
            case "diabetes":
            {
                var features = Lines("diabetes_data_raw.csv.gz").Select(l => Numbers(l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToArray();
                var targets = Lines("diabetes_target.csv.gz").Select(l => double.Parse(l, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)).ToArray();
                return (features, targets);
            }
            case "digits":
            {
                var rows = Lines("digits.csv.gz").Select(l => l.Split(',')).ToArray();
                return (rows.Select(r => Numbers(r[..^1])).ToArray(), rows.Select(r => r[^1]).ToArray());
            }
            default:
            {
                var lines = File.ReadAllLines(Path.Combine(Folder, name == "wine" ? "wine_data.csv" : $"{name}.csv"));
                var classes = lines[0].Split(',')[2..];   // "150,4,setosa,versicolor,virginica": counts, then class names
                var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
                return (rows.Select(r => Numbers(r[..^1])).ToArray(), rows.Select(r => classes[int.Parse(r[^1], CultureInfo.InvariantCulture)]).ToArray());
            }
        }
    }

    /// <summary>Writes NAME.csv (features f0.., planted columns, then 'target') into <paramref name="folder"/>; returns its path.</summary>
    public static string Write(string folder, string name, params Planted[] planted)
    {
        var (features, targets) = Read(name);
        var random = new Random(7);
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", Enumerable.Range(0, features[0].Length).Select(i => $"f{i}").Concat(planted.Select(p => p.Name)).Append("target")));
        for (int r = 0; r < features.Length; r++)
            text.AppendLine(string.Join(",", features[r].Select(v => v.ToString("R", CultureInfo.InvariantCulture))
                .Concat(planted.Select(p => p.Value(r, features[r], targets[r], random))).Append(targets[r])));
        var path = Path.Combine(folder, $"{name}.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    public static TableAudit Audit(string path, InspectOptions? options = null)
    {
        using var data = DataSpec.Load(path);
        return TableAudit.Run(data, options ?? new InspectOptions());
    }

    static IEnumerable<string> Lines(string gz)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(Folder, gz)), CompressionMode.Decompress));
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            if (line.Trim().Length > 0) yield return line.Trim();
    }

    static double[] Numbers(IEnumerable<string> cells) => cells.Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
}
