using System.Net;
using Recipe.Data;
using Recipe.Human;
using Recipe.Tracking;
using Recipe.Tests.Support;

namespace Recipe.Tests.Human;

/// <summary>The localhost page of `recipe human --web`, driven over real HTTP as a browser would.</summary>
public class HumanWebSessionTests : IDisposable
{
    readonly string _store = Path.Combine(Path.GetTempPath(), $"recipe-human-web-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (File.Exists(_store)) File.Delete(_store);
    }

    static readonly Lazy<Dataset> Sample = new(() => DataSpec.Load("fashion-mnist-sample"));

    /// <summary>Posts the form of the page: <paramref name="number"/> is the example's place in the session's draw (the page never shows its index).</summary>
    static Task<HttpResponseMessage> Answer(HttpClient client, int number, string answer) =>
        client.PostAsync("/answer", new FormUrlEncodedContent(new Dictionary<string, string> { ["example"] = $"{number}", ["answer"] = answer }));

    [Fact]
    public async Task Given_three_examples_When_a_person_answers_skips_and_resubmits_in_the_browser_Then_the_store_holds_exactly_the_answers_and_the_page_shows_the_result()
    {
        var data = Sample.Value;
        var truth = data.Test.Targets.data<long>().ToArray();
        using var store = new RecipeStore(_store);
        var annotations = new HumanAnnotations(store, data.Source);
        int[] examples = [5, 17, 42];
        using var session = new HumanWebSession(data, annotations, examples, pass: 1);
        var serving = session.ServeAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true }) { BaseAddress = session.Address };

        // the first page shows example 5 (number 0 of the draw) enlarged, with a button per class
        var page = await client.GetStringAsync("/");
        Assert.Contains("example 1 of 3", page);
        Assert.Contains("src=\"/example/0.png\"", page);
        Assert.All(data.ClassNames, name => Assert.Contains(WebUtility.HtmlEncode(name), page));
        var png = await client.GetByteArrayAsync("/example/0.png");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

        // right on 5; a second, stale submit for 5 changes nothing; wrong on 17; 42 skipped
        Assert.Contains("example 2 of 3", await (await Answer(client, 0, $"{truth[5]}")).Content.ReadAsStringAsync());
        await Answer(client, 0, $"{(truth[5] + 1) % 10}");
        Assert.Equal(HttpStatusCode.BadRequest, (await Answer(client, 1, "11")).StatusCode);
        await Answer(client, 1, $"{(truth[17] + 1) % 10}");
        var done = await (await Answer(client, 2, "skip")).Content.ReadAsStringAsync();

        Assert.Contains("50.0", done);               // one of two right
        Assert.Contains("on 2 examples", done);
        await session.Finished.WaitAsync(TimeSpan.FromSeconds(10));
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        var result = annotations.Result();
        Assert.Equal(2, result.Annotated);
        Assert.Equal(0.5, result.Accuracy!.Value, 6);
        Assert.Equal([5, 17], annotations.Annotated(1).Order());
    }

    [Fact]
    public async Task Given_a_session_stopped_halfway_When_a_new_one_starts_Then_it_resumes_with_the_examples_left()
    {
        var data = Sample.Value;
        using var store = new RecipeStore(_store);
        var annotations = new HumanAnnotations(store, data.Source);
        int[] examples = [1, 2, 3];
        using (var first = new HumanWebSession(data, annotations, examples, pass: 1))
        {
            var serving = first.ServeAsync();
            using var client = new HttpClient { BaseAddress = first.Address };
            await Answer(client, 0, "0");
            Assert.Contains("Done", await (await Answer(client, 1, "stop")).Content.ReadAsStringAsync());
            await serving.WaitAsync(TimeSpan.FromSeconds(10));
        }

        using var second = new HumanWebSession(data, annotations, examples, pass: 1);

        Assert.Equal(2, second.Left); // 2 and 3: only 1 was answered
    }

    [Fact]
    public async Task Given_a_table_When_an_example_is_shown_Then_the_page_lists_its_raw_values_by_column()
    {
        using var temp = new TempFolder();
        var csv = TinyData.WriteCsv(temp.Combine("pets.csv"), ["weight,colour,kind", .. Enumerable.Range(0, 40).Select(i => $"{2 * i + 1},{(i % 3 == 0 ? "" : "brown")},{(i % 2 == 0 ? "cat" : "dog")}")]);
        using var data = DataSpec.Load(csv);
        using var store = new RecipeStore(_store);
        using var session = new HumanWebSession(data, new HumanAnnotations(store, data.Source), [0], pass: 1);
        var serving = session.ServeAsync();
        using var client = new HttpClient { BaseAddress = session.Address };

        var page = await client.GetStringAsync("/");

        int row = (int)data.Test.SourceIndices[0];
        Assert.Contains($"<th>weight</th><td>{2 * row + 1}</td>", page);
        Assert.Contains(row % 3 == 0 ? "<th>colour</th><td>(missing)</td>" : "<th>colour</th><td>brown</td>", page);
        Assert.DoesNotContain("<img", page);
        Assert.Contains("0 cat", page);
        await Answer(client, 0, "stop");
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
