namespace Recipe.Data;

/// <summary>
/// Checks IDX labels against the class set they imply before they become classes. The class count is the
/// largest label + 1, so one corrupt label (200 among 0–9) would silently make 201 classes, 190 of them
/// empty; and one class, or labels with no class 0, leave nothing to learn. The rule needs no threshold:
/// every class from 0 to the largest label must have a training example (a class with none could never be
/// predicted), and declared class names bound the labels.
/// </summary>
public static class IdxLabelCheck
{
    /// <summary>Labels start after the 8-byte header of a one-dimensional IDX file.</summary>
    const int LabelsStart = 8;

    /// <exception cref="DataException">A label outside the declared or dense class range, or fewer than 2 training classes.</exception>
    public static void Require((byte[] Content, string Name) trainFile, byte[] train, (byte[] Content, string Name) testFile, byte[] test,
        IReadOnlyList<string>? declared)
    {
        if (declared is not null)
            foreach (var (file, labels) in new[] { (trainFile, train), (testFile, test) })
            {
                int outside = Array.FindIndex(labels, l => l >= declared.Count);
                if (outside >= 0)
                    throw new DataException(file.Name, IdxDataset.At(file, LabelsStart + outside),
                        $"a label from 0 to {declared.Count - 1} (the {declared.Count} classes of this dataset), found {labels[outside]}");
            }

        var inTrain = new bool[256];
        foreach (var label in train) inTrain[label] = true;
        int trainClasses = inTrain.Count(present => present);
        if (trainClasses < 2)
            throw new DataException(trainFile.Name, IdxDataset.At(trainFile, LabelsStart),
                $"labels of at least 2 classes (classification needs them), found only {train[0]} in all {train.Length} training labels");

        int largest = Math.Max(train.Max(), test.Max());
        int gap = Array.FindIndex(inTrain, 0, largest + 1, present => !present);
        if (gap < 0) return;
        int empty = Enumerable.Range(0, largest + 1).Count(c => !inTrain[c]);
        if (gap == 0)
            throw new DataException(trainFile.Name, IdxDataset.At(trainFile, LabelsStart),
                $"class indices counted from 0, found no label 0 among the training labels (smallest {train.Min()}; {empty} of {largest + 1} classes would have no training example)");
        // The first label past the gap, in the training file if it has one, else in the test file.
        var (badFile, badLabels, at) = Array.FindIndex(train, l => l > gap) is var t and >= 0
            ? (trainFile, train, t)
            : (testFile, test, Array.FindIndex(test, l => l >= gap));
        throw new DataException(badFile.Name, IdxDataset.At(badFile, LabelsStart + at),
            $"a label from 0 to {gap - 1} like the other training labels, found {badLabels[at]} ({largest + 1} classes, {empty} of them without a training example)");
    }
}
