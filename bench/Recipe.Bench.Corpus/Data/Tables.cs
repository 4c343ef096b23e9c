using System.Globalization;
using System.IO.Compression;
using System.Text;
using Recipe.Data;

namespace Recipe.Bench.Corpus.Data;

/// <summary>
/// Tables read the way a user reads them: a CSV with a header through Recipe's CSV reader (features
/// standardized, missing numbers as 0 plus an indicator, categories one-hot). scikit-learn's raw files have a
/// first line of counts instead of a header, so they are rewritten with one into a temporary file first.
/// </summary>
public static class Tables
{
    const string Sklearn = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

    /// <summary>Wine: 178 rows, 13 chemistry columns, 3 cultivars.</summary>
    public static Dataset Wine() => FromSklearn("wine_data.csv", "cultivar");

    /// <summary>Breast cancer: 569 rows, 30 columns, malignant 37 % / benign 63 %.</summary>
    public static Dataset BreastCancer() => FromSklearn("breast_cancer.csv", "diagnosis");

    /// <summary>Digits: 1,797 rows of 8×8 pixel counts (0..16) as 64 columns, 10 classes.</summary>
    public static Dataset Digits()
    {
        var lines = ReadGzipLines(Path.Combine(Sklearn, "digits.csv.gz"));
        return FromRows("digits", Enumerable.Range(0, 64).Select(i => $"px{i}").Append("digit"), lines);
    }

    /// <summary>Diabetes progression: 442 rows, 10 raw columns (age, sex, bmi, ...), a real-valued target.</summary>
    public static Dataset Diabetes()
    {
        var features = ReadGzipLines(Path.Combine(Sklearn, "diabetes_data_raw.csv.gz")).Select(l => string.Join(",", l.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        var target = ReadGzipLines(Path.Combine(Sklearn, "diabetes_target.csv.gz"))
            .Select(l => double.Parse(l, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
        string[] names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"];
        return FromRows("diabetes", names, features.Zip(target, (f, t) => f + "," + t));
    }

    /// <summary>
    /// Loan applications (synthetic, 1,500 rows): income and debt ratio often missing (missing income is
    /// itself informative), a categorical region and employment type, a 70/30 default label.
    /// </summary>
    public static Dataset Loans()
    {
        var random = new Random(5);
        string[] regions = ["north", "south", "east", "west"];
        string[] jobs = ["salaried", "self-employed", "retired"];
        var rows = new List<string>();
        for (int i = 0; i < 1500; i++)
        {
            double income = 20 + 60 * random.NextDouble(), debt = random.NextDouble(), age = 20 + random.Next(50);
            int region = random.Next(4), job = random.Next(3);
            double score = -0.05 * (income - 50) + 3 * (debt - 0.5) + (region == 1 ? 1.0 : 0) + (job == 1 ? 0.8 : 0) - 0.9;
            bool incomeMissing = random.NextDouble() < (score > 0 ? 0.35 : 0.1);
            bool debtMissing = random.NextDouble() < 0.15;
            int label = score + 0.7 * Gaussian(random) > 0 ? 1 : 0;
            rows.Add(string.Join(",",
                incomeMissing ? "" : income.ToString("F1", CultureInfo.InvariantCulture),
                debtMissing ? "NA" : debt.ToString("F3", CultureInfo.InvariantCulture),
                age.ToString(CultureInfo.InvariantCulture), regions[region], jobs[job], label == 1 ? "default" : "repaid"));
        }
        return FromRows("loans", ["income", "debt_ratio", "age", "region", "employment", "outcome"], rows);
    }

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    static Dataset FromSklearn(string file, string targetName)
    {
        var lines = File.ReadAllLines(Path.Combine(Sklearn, file)).Skip(1).Where(l => l.Length > 0).ToArray();
        int columns = lines[0].Split(',').Length;
        return FromRows(Path.GetFileNameWithoutExtension(file), Enumerable.Range(0, columns - 1).Select(i => $"x{i}").Append(targetName), lines);
    }

    static Dataset FromRows(string name, IEnumerable<string> header, IEnumerable<string> rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"recipe-corpus-{name}-{Environment.ProcessId}.csv");
        var text = new StringBuilder().AppendLine(string.Join(",", header));
        foreach (var row in rows) text.AppendLine(row);
        File.WriteAllText(path, text.ToString());
        try { return CsvDataset.Read(path, targetColumn: null); }
        finally { File.Delete(path); }
    }

    static string[] ReadGzipLines(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
