using Recipe.Tracking;

namespace Recipe.Human;

/// <summary>The human baseline of one dataset: accuracy of the first pass and agreement with a second pass.</summary>
/// <param name="Annotated">Examples annotated in pass 1.</param>
/// <param name="Accuracy">Pass-1 answers that match the label (null when nothing was annotated).</param>
/// <param name="Reannotated">Examples annotated in both passes.</param>
/// <param name="Agreement">Share of those where both passes gave the same answer (null without a second pass).</param>
public sealed record HumanBaselineResult(int Annotated, double? Accuracy, int Reannotated, double? Agreement);

/// <summary>Records a person's answers in the store and computes the human baseline from them.</summary>
public sealed class HumanAnnotations(RecipeStore store, string dataset, string split = "test")
{
    public void Record(int example, int pass, int answer, int truth) =>
        store.Execute("""
            INSERT INTO human_annotations (dataset, split, example, pass, answer, truth, annotated)
            VALUES ($dataset, $split, $example, $pass, $answer, $truth, $annotated)
            ON CONFLICT (dataset, split, example, pass) DO UPDATE SET answer = excluded.answer, annotated = excluded.annotated
            """,
            ("$dataset", dataset), ("$split", split), ("$example", example), ("$pass", pass),
            ("$answer", answer), ("$truth", truth), ("$annotated", DateTime.UtcNow.ToString("O")));

    /// <summary>The examples already annotated in a pass (so a session can resume where it stopped).</summary>
    public HashSet<int> Annotated(int pass)
    {
        using var command = store.Command("SELECT example FROM human_annotations WHERE dataset = $d AND split = $s AND pass = $p",
            ("$d", dataset), ("$s", split), ("$p", pass));
        using var reader = command.ExecuteReader();
        var examples = new HashSet<int>();
        while (reader.Read()) examples.Add(reader.GetInt32(0));
        return examples;
    }

    public HumanBaselineResult Result()
    {
        using var command = store.Command("""
            SELECT
              (SELECT COUNT(*) FROM human_annotations WHERE dataset = $d AND split = $s AND pass = 1),
              (SELECT AVG(answer = truth) FROM human_annotations WHERE dataset = $d AND split = $s AND pass = 1),
              (SELECT COUNT(*) FROM human_annotations a JOIN human_annotations b USING (dataset, split, example)
                 WHERE a.dataset = $d AND a.split = $s AND a.pass = 1 AND b.pass = 2),
              (SELECT AVG(a.answer = b.answer) FROM human_annotations a JOIN human_annotations b USING (dataset, split, example)
                 WHERE a.dataset = $d AND a.split = $s AND a.pass = 1 AND b.pass = 2)
            """, ("$d", dataset), ("$s", split));
        using var reader = command.ExecuteReader();
        reader.Read();
        double? Nullable(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
        return new HumanBaselineResult(reader.GetInt32(0), Nullable(1), reader.GetInt32(2), Nullable(3));
    }
}
