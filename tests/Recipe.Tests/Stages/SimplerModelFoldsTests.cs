using Recipe.Stages;

namespace Recipe.Tests.Stages;

public class SimplerModelFoldsTests
{
    [Fact]
    public void Given_three_unbalanced_classes_When_assigned_to_five_folds_Then_every_fold_holds_each_class_in_its_share()
    {
        // Given 50, 30 and 20 examples of classes 0, 1, 2, interleaved
        var classes = Enumerable.Range(0, 100).Select(i => i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2).ToArray();

        // When
        var fold = SimplerModelFolds.Assign(classes.Length, 5, classes, seed: 7);

        // Then: 20 examples per fold, of which 10, 6 and 4 of each class
        for (int k = 0; k < 5; k++)
        {
            var members = Enumerable.Range(0, 100).Where(i => fold[i] == k).ToArray();
            Assert.Equal(20, members.Length);
            Assert.Equal([10, 6, 4], Enumerable.Range(0, 3).Select(c => members.Count(i => classes[i] == c)).ToArray());
        }
    }

    [Fact]
    public void Given_the_same_seed_When_assigned_twice_Then_the_folds_are_the_same_and_another_seed_changes_them()
    {
        var first = SimplerModelFolds.Assign(60, 5, null, seed: 1);
        Assert.Equal(first, SimplerModelFolds.Assign(60, 5, null, seed: 1));
        Assert.NotEqual(first, SimplerModelFolds.Assign(60, 5, null, seed: 2));
        Assert.All(Enumerable.Range(0, 5), k => Assert.Equal(12, first.Count(f => f == k)));
    }
}
