using System.Globalization;
using System.Text;
using Recipe.Data;
using Recipe.Inspect;

namespace Recipe.Tests.Inspect;

/// <summary>
/// A CSV made from real Fashion-MNIST (per-image statistics as features, the class as target) with
/// planted defects: missing values, a constant column, an identifier column, a column that leaks the
/// target, duplicated rows (one copy with another target) and an extreme value.
/// </summary>
public class TableAuditTests : IClassFixture<TableAuditTests.Planted>
{
    public sealed class Planted : IDisposable
    {
        public string Folder { get; } = Fixtures.TempFolder("csv");
        public string Path { get; }
        public int[] MissingContrastLines { get; } = [7, 19, 42];
        public int[] MissingBrandLines { get; } = [7, 100];
        public int OutlierLine { get; } = 201;
        /// <summary>Row copied at the end with the same target; row copied with another target.</summary>
        public (int Original, int Copy) SameTarget, OtherTarget;
        public TableAudit Audit { get; }

        public Planted()
        {
            using var images = Fixtures.Sample();
            var statistics = ImageStatistics.Compute(ExampleNumbering.Of(images));
            var labels = TensorCopy.ToArray<long>(images.Train.Targets);
            var random = new Random(1);
            string[] brands = ["north", "south", "east", "west"];
            var rows = new List<string[]>();
            for (int i = 0; i < 600; i++)
            {
                var label = IdxDataset.FashionMnistClasses[labels[i]];
                rows.Add([
                    (1000 + i).ToString(CultureInfo.InvariantCulture),                                   // id: one per row
                    F(statistics["mean"][i]), F(statistics["contrast"][i]), F(statistics["foreground"][i]), F(statistics["bbox_width"][i]),
                    brands[random.Next(brands.Length)],
                    "v1",                                                                               // constant
                    $"code-{labels[i] * 7 + 3}",                                                        // leaks the target
                    label]);
            }
            int Line(int row) => row + 2;                                                             // line 1 is the header
            int RowOf(int line) => line - 2;
            foreach (var line in MissingContrastLines) rows[RowOf(line)][2] = "";
            foreach (var line in MissingBrandLines) rows[RowOf(line)][5] = "NA";
            rows[RowOf(OutlierLine)][1] = "25000";
            rows.Add((string[])rows[300].Clone());
            SameTarget = (Line(300), Line(rows.Count - 1));
            var conflicting = (string[])rows[301].Clone();
            conflicting[^1] = conflicting[^1] == "Bag" ? "Sandal" : "Bag";
            rows.Add(conflicting);
            OtherTarget = (Line(301), Line(rows.Count - 1));

            Path = System.IO.Path.Combine(Folder, "clothes.csv");
            var text = new StringBuilder("id,mean,contrast,foreground,width,brand,version,code,label\n");
            foreach (var row in rows) text.AppendLine(string.Join(",", row));
            File.WriteAllText(Path, text.ToString());
            using var data = DataSpec.Load(Path);
            Audit = TableAudit.Run(data, new InspectOptions());
        }

        static string F(float v) => v.ToString("G6", CultureInfo.InvariantCulture);

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    readonly Planted _p;
    public TableAuditTests(Planted planted) => _p = planted;

    int[] Lines(Finding f) => f.Examples.Select(e => int.Parse(e.Origin["line ".Length..], CultureInfo.InvariantCulture)).Order().ToArray();

    [Fact]
    public void Given_missing_values_When_audited_Then_each_column_lists_exactly_its_lines()
    {
        var contrast = Assert.Single(_p.Audit.Findings, f => f.Kind == FindingKind.MissingValues && f.Subject == "contrast");
        Assert.Equal(_p.MissingContrastLines, Lines(contrast));
        var brand = Assert.Single(_p.Audit.Findings, f => f.Kind == FindingKind.MissingValues && f.Subject == "brand");
        Assert.Equal(_p.MissingBrandLines, Lines(brand));
        Assert.Equal(2, _p.Audit.Findings.Count(f => f.Kind == FindingKind.MissingValues));
    }

    [Fact]
    public void Given_a_column_that_encodes_the_target_When_audited_Then_it_alone_is_a_leakage_candidate()
    {
        var leak = Assert.Single(_p.Audit.Findings, f => f.Kind == FindingKind.LeakageCandidate);
        Assert.Equal("code", leak.Subject);
        // One code per class, but the planted conflicting duplicate breaks the one-to-one map in one row: it is caught as
        // near perfect and far above the other features instead.
        Assert.True(leak.Statistics["unexplained"] <= TargetLeakage.NearPerfect);
        Assert.True(leak.Statistics["control_unexplained"] >= TargetLeakage.FarAbove * leak.Statistics["unexplained"]);
    }

    [Fact]
    public void Given_constant_and_identifier_columns_When_audited_Then_both_are_reported()
    {
        Assert.Equal("version", Assert.Single(_p.Audit.Findings, f => f.Kind == FindingKind.ConstantColumn).Subject);
        Assert.Contains(_p.Audit.Findings, f => f.Kind == FindingKind.HighCardinality && f.Subject == "id");
    }

    [Fact]
    public void Given_duplicated_rows_When_audited_Then_duplicates_and_the_conflicting_target_name_their_lines()
    {
        var duplicates = _p.Audit.Findings.Where(f => f.Kind is FindingKind.ExactDuplicate or FindingKind.CrossSplitDuplicate).ToList();
        Assert.Contains(duplicates, f => Lines(f).SequenceEqual([_p.SameTarget.Original, _p.SameTarget.Copy]));
        Assert.Contains(duplicates, f => Lines(f).SequenceEqual([_p.OtherTarget.Original, _p.OtherTarget.Copy]));
        var conflict = Assert.Single(_p.Audit.Findings, f => f.Kind == FindingKind.ConflictingLabel);
        Assert.Equal([_p.OtherTarget.Original, _p.OtherTarget.Copy], Lines(conflict));
    }

    [Fact]
    public void Given_an_extreme_value_When_audited_Then_it_is_the_most_extreme_outlier_of_its_column()
    {
        var outlier = Assert.Single(_p.Audit.Findings, f => f.Kind == FindingKind.Outlier && f.Subject == "mean");
        Assert.Equal($"line {_p.OutlierLine}", outlier.Examples[0].Origin);
    }

    [Fact]
    public void Given_a_query_on_a_column_When_inspected_Then_query_csv_holds_those_rows()
    {
        var output = System.IO.Path.Combine(_p.Folder, "out");
        var outcome = Inspection.Run(new InspectRequest { Data = _p.Path, Out = output, Where = "brand=north and mean>100", Sort = "mean:desc", Top = 1000 });

        var lines = File.ReadAllLines(System.IO.Path.Combine(output, "query.csv"));
        Assert.Equal(outcome.Query!.Matched + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal("north", l.Split(',')[7]));
        var means = lines.Skip(1).Select(l => double.Parse(l.Split(',')[3], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(means, m => Assert.True(m > 100));
        Assert.Equal(means.OrderDescending(), means);
    }
}
