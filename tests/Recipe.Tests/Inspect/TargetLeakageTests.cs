using System.Globalization;
using Recipe.Inspect;
using Recipe.Tests.Support;
using static Recipe.Tests.Inspect.SklearnTables;

namespace Recipe.Tests.Inspect;

/// <summary>
/// Leakage judged against the other features of the same table: real tables whose features predict the target well
/// (iris' petal width: held-out accuracy 1.0) give no leakage finding; a planted copy, relabelling, target encoding,
/// target plus tiny noise, monotone transform of the target, or an identifier numbered in target order does.
/// </summary>
public class TargetLeakageTests
{
    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    static List<Finding> Leaks(TableAudit audit) => audit.Findings.Where(f => f.Kind == FindingKind.LeakageCandidate).ToList();

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("iris")]
    [InlineData("wine")]
    [InlineData("breast_cancer")]
    [InlineData("digits")]
    [InlineData("diabetes")]
    public void Given_a_clean_real_table_When_audited_Then_no_feature_is_a_leakage_candidate(string name)
    {
        using var folder = new TempFolder();
        var audit = Audit(Write(folder.Path, name));

        Assert.Empty(Leaks(audit));
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("iris")]
    [InlineData("wine")]
    [InlineData("breast_cancer")]
    [InlineData("digits")]
    public void Given_a_copy_of_the_target_under_other_names_When_audited_Then_it_alone_is_the_leakage_candidate(string name)
    {
        using var folder = new TempFolder();
        var audit = Audit(Write(folder.Path, name, new Planted("code", (_, _, target, _) => $"code-{new string(target.Reverse().ToArray())}")));

        var leak = Assert.Single(Leaks(audit));
        Assert.Equal("code", leak.Subject);
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("iris")]
    [InlineData("wine")]
    [InlineData("breast_cancer")]
    [InlineData("digits")]
    public void Given_the_class_number_plus_tiny_noise_When_audited_Then_it_alone_is_the_leakage_candidate(string name)
    {
        using var folder = new TempFolder();
        var classes = Read(name).Targets.Distinct().Order(StringComparer.Ordinal).ToList();
        var audit = Audit(Write(folder.Path, name, new Planted("score", (_, _, target, random) => F(classes.IndexOf(target) + 0.02 * Gauss(random)))));

        var leak = Assert.Single(Leaks(audit));
        Assert.Equal("score", leak.Subject);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_a_target_encoding_When_audited_Then_it_is_a_leakage_candidate()
    {
        using var folder = new TempFolder();
        var (features, targets) = Read("wine");
        // The mean of feature 0 per class, as target encoding computes it: one number per class.
        var encoding = targets.Distinct().ToDictionary(t => t, t => Enumerable.Range(0, targets.Length).Where(r => targets[r] == t).Average(r => features[r][0]));
        var audit = Audit(Write(folder.Path, "wine", new Planted("target_encoded", (_, _, target, _) => F(encoding[target]))));

        Assert.Equal("target_encoded", Assert.Single(Leaks(audit)).Subject);
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("noisy")]
    [InlineData("log")]
    public void Given_a_numeric_target_and_a_column_derived_from_it_When_audited_Then_it_alone_is_the_leakage_candidate(string derivation)
    {
        using var folder = new TempFolder();
        var planted = new Planted("derived", (_, _, target, random) =>
        {
            double y = double.Parse(target, CultureInfo.InvariantCulture);
            return F(derivation == "log" ? Math.Log(y) : y + 3 * Gauss(random));
        });
        var audit = Audit(Write(folder.Path, "diabetes", planted));

        Assert.Equal("derived", Assert.Single(Leaks(audit)).Subject);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Given_an_identifier_numbered_in_target_order_When_audited_Then_it_is_a_leakage_candidate_and_a_shuffled_one_is_not()
    {
        using var folder = new TempFolder();
        // iris.csv is sorted by species, like the popular copy with an Id column.
        var ordered = Audit(Write(folder.Path, "iris", new Planted("id", (row, _, _, _) => (row + 1).ToString(CultureInfo.InvariantCulture))));
        var order = Enumerable.Range(1, 150).ToArray();
        new Random(5).Shuffle(order);
        var shuffled = Audit(Write(folder.Path, "iris", new Planted("id", (row, _, _, _) => order[row].ToString(CultureInfo.InvariantCulture))));

        Assert.Equal("id", Assert.Single(Leaks(ordered)).Subject);
        Assert.Empty(Leaks(shuffled));
        Assert.Contains(shuffled.Findings, f => f.Kind == FindingKind.HighCardinality && f.Subject == "id");
    }

    [Fact]
    public void Given_two_real_features_that_both_nearly_determine_the_target_When_judged_Then_neither_is_a_leak_but_a_lone_one_is()
    {
        // A control from the same data: a strong feature next to an equally strong one is the task being easy.
        var random = new Random(3);
        var classes = Enumerable.Range(0, 300).Select(i => (long)(i % 3)).ToArray();
        double[] Strong() => classes.Select(c => c + 0.1 * Gauss(random)).ToArray();
        double[] Weak() => classes.Select(c => c + 3 * Gauss(random)).ToArray();

        Assert.Empty(Judge(classes, ("a", Strong()), ("b", Strong()), ("c", Weak())));
        Assert.Equal("a", Assert.Single(Judge(classes, ("a", Strong()), ("b", Weak()), ("c", Weak()))).Column);
    }

    static IReadOnlyList<Leak> Judge(long[] classes, params (string Name, double[] Values)[] columns)
    {
        var features = columns.Select(c => new Recipe.Data.Column(c.Name, Recipe.Data.ColumnKind.Numeric,
            c.Values.Select(F).ToArray<string?>(), c.Values, [])).ToList();
        var target = new Recipe.Data.Column("y", Recipe.Data.ColumnKind.Categorical, classes.Select(c => (string?)c.ToString(CultureInfo.InvariantCulture)).ToArray(),
            classes.Select(c => (double)c).ToArray(), ["0", "1", "2"]);
        var table = new Recipe.Data.Table("t.csv", features, target, Enumerable.Range(2, classes.Length).ToArray(), columns.Select(c => c.Name).ToList());
        var power = columns.Select(c => new FeaturePower(c.Name, double.NaN, double.NaN)).ToList();
        return TargetLeakage.Find(Recipe.Data.TaskKind.Classification, table, classes, power, new HashSet<string>(), out _);
    }

    static double Gauss(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
