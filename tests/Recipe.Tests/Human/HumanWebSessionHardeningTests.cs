using System.Net;
using System.Net.Sockets;
using System.Text;
using Recipe.Data;
using Recipe.Human;
using Recipe.Tests.Support;
using Recipe.Tracking;
using SkiaSharp;

namespace Recipe.Tests.Human;

/// <summary>
/// The reproductions of issue 9 against `recipe human --web`, over real HTTP (and raw sockets where a
/// browser would not misbehave): each failed on the HttpListener server and must pass on Kestrel.
/// </summary>
public class HumanWebSessionHardeningTests : IDisposable
{
    /// <summary>Guards against a hang only: a request that is served at all is served in milliseconds.</summary>
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    readonly string _store = Path.Combine(Path.GetTempPath(), $"recipe-human-hardening-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (File.Exists(_store)) File.Delete(_store);
    }

    static readonly Lazy<Dataset> Sample = new(() => DataSpec.Load("fashion-mnist-sample"));

    sealed class Served : IDisposable
    {
        public required RecipeStore Store { get; init; }
        public required HumanAnnotations Annotations { get; init; }
        public required HumanWebSession Session { get; init; }
        public required HttpClient Client { get; init; }

        public void Dispose()
        {
            Client.Dispose();
            Session.Dispose();
            Store.Dispose();
        }
    }

    Served Serve(Dataset? data = null, int[]? examples = null)
    {
        data ??= Sample.Value;
        var store = new RecipeStore(_store);
        var annotations = new HumanAnnotations(store, data.Source);
        var session = new HumanWebSession(data, annotations, examples ?? [3, 8, 13], pass: 1);
        _ = session.ServeAsync();
        return new Served { Store = store, Annotations = annotations, Session = session, Client = new HttpClient { BaseAddress = session.Address, Timeout = HangGuard } };
    }

    static FormUrlEncodedContent Form(int number, string answer) =>
        new(new Dictionary<string, string> { ["example"] = $"{number}", ["answer"] = answer });

    /// <summary>Opens a raw connection to the session and sends <paramref name="text"/> (ASCII) as is.</summary>
    static async Task<Socket> Connect(IPAddress address, int port, string text)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address, port);
        if (text.Length > 0) await socket.SendAsync(Encoding.ASCII.GetBytes(text));
        return socket;
    }

    /// <summary>The status code of the response on <paramref name="socket"/>, from its first line.</summary>
    static async Task<int> StatusOf(Socket socket)
    {
        var buffer = new byte[4096];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n"))
        {
            int n = await socket.ReceiveAsync(buffer).WaitAsync(HangGuard);
            if (n == 0) break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        var statusLine = received.ToString().Split("\r\n")[0]; // HTTP/1.1 413 Payload Too Large
        return int.Parse(statusLine.Split(' ')[1]);
    }

    [Fact]
    public async Task Given_a_post_without_a_body_When_served_Then_it_is_refused_with_400_and_the_server_keeps_serving()
    {
        using var served = Serve();

        using var empty = await served.Client.PostAsync("/answer", null);
        using var raw = await Connect(IPAddress.Loopback, served.Session.Port, $"POST /answer HTTP/1.1\r\nHost: 127.0.0.1:{served.Session.Port}\r\nConnection: close\r\n\r\n");

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(400, await StatusOf(raw));
        Assert.Contains("example 1 of 3", await served.Client.GetStringAsync("/"));
        Assert.Equal(3, served.Session.Left);
    }

    [Fact]
    public async Task Given_a_post_announcing_300_MB_When_served_Then_413_comes_back_before_the_body_is_sent()
    {
        using var served = Serve();
        int port = served.Session.Port;

        // Only the headers and 64 KB of the 300 MB are ever sent: a server that reads the body to its end never answers.
        using var huge = await Connect(IPAddress.Loopback, port,
            $"POST /answer HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {300L << 20}\r\n\r\n");
        await huge.SendAsync(new byte[HumanWebSession.MaxBodyBytes]);

        Assert.Equal(413, await StatusOf(huge));
        Assert.Contains("example 1 of 3", await served.Client.GetStringAsync("/"));
    }

    [Fact]
    public async Task Given_a_chunked_post_past_the_limit_When_served_Then_413_and_nothing_is_recorded()
    {
        using var served = Serve();
        int port = served.Session.Port;
        using var chunked = await Connect(IPAddress.Loopback, port,
            $"POST /answer HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n");
        var chunk = Encoding.ASCII.GetBytes($"4000\r\n{new string('a', 0x4000)}\r\n");

        try
        {
            for (int i = 0; i < 6; i++) await chunked.SendAsync(chunk); // 96 KB, over the 64 KB limit
        }
        catch (SocketException)
        {
            // the server may close the connection once it has refused the body
        }

        Assert.Equal(413, await StatusOf(chunked));
        Assert.Empty(served.Annotations.Annotated(1));
    }

    [Fact]
    public async Task Given_a_stalled_connection_When_another_request_comes_Then_it_is_served()
    {
        using var served = Serve();
        int port = served.Session.Port;

        // one connection stops halfway through its headers, another halfway through a body it announced
        using var halfHeaders = await Connect(IPAddress.Loopback, port, $"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
        using var halfBody = await Connect(IPAddress.Loopback, port,
            $"POST /answer HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nexample=0&");

        var page = await served.Client.GetStringAsync("/").WaitAsync(HangGuard);

        Assert.Contains("example 1 of 3", page);
        using var answered = await served.Client.PostAsync("/answer", Form(0, "1")).WaitAsync(HangGuard);
        Assert.Equal(2, served.Session.Left);
    }

    [Fact]
    public async Task Given_a_session_When_reached_as_localhost_or_over_IPv6_loopback_Then_the_page_is_served()
    {
        using var served = Serve();
        int port = served.Session.Port;
        using var byName = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}/"), Timeout = HangGuard };

        Assert.Contains("example 1 of 3", await byName.GetStringAsync("/"));
        using var v4 = await Connect(IPAddress.Loopback, port, $"GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, await StatusOf(v4));
        if (Socket.OSSupportsIPv6)
        {
            using var v6 = await Connect(IPAddress.IPv6Loopback, port, $"GET / HTTP/1.1\r\nHost: [::1]:{port}\r\nConnection: close\r\n\r\n");
            Assert.Equal(200, await StatusOf(v6));
        }
    }

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Origin", "http://127.0.0.1:1")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    public async Task Given_a_post_from_another_site_When_served_Then_403_and_nothing_is_recorded(string header, string value)
    {
        using var served = Serve();
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/answer") { Content = Form(0, "1") };
        foreign.Headers.Add(header, value);

        using var refused = await served.Client.SendAsync(foreign);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(3, served.Session.Left);
        Assert.Empty(served.Annotations.Annotated(1));
        // the same form from the page itself is accepted: the check refuses the site, not the form
        using var own = new HttpRequestMessage(HttpMethod.Post, "/answer") { Content = Form(0, "1") };
        own.Headers.Add("Origin", $"http://localhost:{served.Session.Port}");
        using var accepted = await served.Client.SendAsync(own);
        Assert.Equal(2, served.Session.Left);
        Assert.Single(served.Annotations.Annotated(1));
    }

    [Fact]
    public async Task Given_a_foreign_host_name_pointing_at_loopback_When_requested_Then_403()
    {
        using var served = Serve();
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/");
        rebound.Headers.Host = $"evil.example:{served.Session.Port}";

        using var response = await served.Client.SendAsync(rebound);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Given_an_image_folder_whose_paths_name_the_class_When_an_example_is_shown_Then_the_page_holds_no_path_and_no_index()
    {
        using var temp = new TempFolder();
        var folder = TinyData.WriteImageClasses(temp.Combine("pets"), ["cat", "dog"], [SKColors.Red, SKColors.Blue], perClass: 12);
        using var data = DataSpec.Load(folder);
        int[] examples = [.. Enumerable.Range(0, data.Test.Count).Reverse()];
        using var served = Serve(data, examples);

        var page = await served.Client.GetStringAsync("/");

        Assert.DoesNotContain(data.Test.OriginOf(examples[0]), page);
        Assert.DoesNotContain(Path.GetFileName(data.Test.OriginOf(examples[0])), page);
        Assert.DoesNotContain("cat/", page);
        Assert.DoesNotContain("dog/", page);
        Assert.DoesNotContain(temp.Path, page);
        // the example is named by its place in the draw (0), not by its test index
        Assert.Contains("src=\"/example/0.png\"", page);
        Assert.Contains("name=example value=\"0\"", page);
        Assert.DoesNotContain($"/example/{examples[0]}.png", page);
    }
}
