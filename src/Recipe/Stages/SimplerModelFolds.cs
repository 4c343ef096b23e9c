namespace Recipe.Stages;

/// <summary>
/// Deterministic k-fold assignment for the model choice's cross-validation: each example gets a fold in 0..k-1, classes
/// spread evenly over the folds (stratified, as the validation split itself is carved), the order fixed by a seed so
/// every run scores the same folds.
/// </summary>
public static class SimplerModelFolds
{
    /// <param name="classes">Class of each example, or null (regression) to deal the examples out uniformly.</param>
    public static int[] Assign(int count, int folds, int[]? classes, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var random = new Random(seed);
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        // within a class, consecutive examples of the shuffled order go to consecutive folds; classes continue where the last ended
        var grouped = classes is null ? order : order.OrderBy(i => classes[i]).ToArray(); // OrderBy is stable: the shuffle stays within a class
        var fold = new int[count];
        for (int position = 0; position < grouped.Length; position++) fold[grouped[position]] = position % folds;
        return fold;
    }
}
