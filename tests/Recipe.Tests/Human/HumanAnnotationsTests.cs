using Recipe.Human;
using Recipe.Tracking;

namespace Recipe.Tests.Human;

public class HumanAnnotationsTests
{
    [Fact]
    public void Given_two_passes_When_the_baseline_is_computed_Then_accuracy_uses_pass_one_and_agreement_compares_the_passes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"recipe-human-{Guid.NewGuid():N}.db");
        try
        {
            using (var store = new RecipeStore(path))
            {
                var annotations = new HumanAnnotations(store, "some-data");
                // Given pass 1: 3 of 4 right
                annotations.Record(example: 10, pass: 1, answer: 1, truth: 1);
                annotations.Record(example: 11, pass: 1, answer: 2, truth: 2);
                annotations.Record(example: 12, pass: 1, answer: 0, truth: 3);
                annotations.Record(example: 13, pass: 1, answer: 4, truth: 4);
                // and pass 2 on three of them, disagreeing once
                annotations.Record(example: 10, pass: 2, answer: 1, truth: 1);
                annotations.Record(example: 11, pass: 2, answer: 5, truth: 2);
                annotations.Record(example: 12, pass: 2, answer: 0, truth: 3);
                // and another dataset's answers, which must not count
                new HumanAnnotations(store, "other-data").Record(example: 10, pass: 1, answer: 9, truth: 1);
            }

            // When the store is reopened and the baseline computed
            using var reopened = new RecipeStore(path);
            var result = new HumanAnnotations(reopened, "some-data").Result();

            // Then
            Assert.Equal(4, result.Annotated);
            Assert.Equal(0.75, result.Accuracy!.Value, 6);
            Assert.Equal(3, result.Reannotated);
            Assert.Equal(2.0 / 3, result.Agreement!.Value, 6);
            Assert.Equal([10, 11, 12, 13], new HumanAnnotations(reopened, "some-data").Annotated(1).Order());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Given_a_seed_When_the_sample_is_drawn_twice_Then_the_same_distinct_examples_come_back()
    {
        var first = HumanSample.Draw(1000, 100, seed: 4);
        Assert.Equal(first, HumanSample.Draw(1000, 100, seed: 4));
        Assert.Equal(100, first.Distinct().Count());
        Assert.All(first, i => Assert.InRange(i, 0, 999));
        Assert.NotEqual(first, HumanSample.Draw(1000, 100, seed: 5));
    }

    [Fact]
    public void Given_no_annotations_When_the_baseline_is_computed_Then_it_says_so_instead_of_inventing_numbers()
    {
        var path = Path.Combine(Path.GetTempPath(), $"recipe-human-{Guid.NewGuid():N}.db");
        try
        {
            using var store = new RecipeStore(path);
            var result = new HumanAnnotations(store, "nothing").Result();
            Assert.Equal(0, result.Annotated);
            Assert.Null(result.Accuracy);
            Assert.Null(result.Agreement);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
