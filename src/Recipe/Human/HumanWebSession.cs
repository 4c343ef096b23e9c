using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recipe.Data;
using Recipe.Reporting;
using static TorchSharp.torch;

namespace Recipe.Human;

/// <summary>
/// The human-baseline session as a page on localhost, for people who would rather click than type:
/// one test example at a time (an enlarged image, or a table row's raw values), a button per class
/// (number keys work too), skip and stop. Answers go to the same store as the terminal session's, so
/// the two can be mixed and a session resumes where it stopped.
/// Served by Kestrel on the loopback addresses only (IPv4 and IPv6, so `localhost` works whichever it
/// resolves to). The page names an example by its place in the seeded draw, never by its file or index:
/// an image folder's path holds the class name, and a test index can follow the class order.
/// </summary>
public sealed class HumanWebSession : IDisposable
{
    /// <summary>How much larger than stored an image is drawn: a 28×28 digit becomes 224×224.</summary>
    const int ImageScale = 8;

    /// <summary>The page's form holds two short fields; a larger body is not from it and is refused (413) unread.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    readonly Dataset _data;
    readonly HumanAnnotations _annotations;
    readonly int _pass;
    readonly long[] _targets;
    /// <summary>Test-split indices by example number (the number the page shows).</summary>
    readonly int[] _examples;
    /// <summary>Example numbers still to show. Requests run concurrently: every use holds <see cref="_gate"/>.</summary>
    readonly Queue<int> _todo;
    readonly int _total;
    readonly Lock _gate = new();
    readonly WebApplication _app;
    readonly HashSet<string> _ownHosts;
    readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="examples">Test-split indices in the order to show them (already-annotated ones are skipped).</param>
    /// <param name="port">Port on the loopback addresses; 0 picks a free one.</param>
    /// <exception cref="IOException">The port is taken.</exception>
    public HumanWebSession(Dataset data, HumanAnnotations annotations, IReadOnlyList<int> examples, int pass, int port = 0)
    {
        _data = data;
        _annotations = annotations;
        _pass = pass;
        _targets = data.Test.Targets.data<long>().ToArray();
        _examples = [.. examples];
        var done = annotations.Annotated(pass);
        _todo = new Queue<int>(Enumerable.Range(0, _examples.Length).Where(number => !done.Contains(_examples[number])));
        _total = _todo.Count;
        bool ipv6 = LoopbackV6Works();
        Port = port == 0 ? FreePort(ipv6) : port;
        _ownHosts = new HashSet<string>(new[] { "127.0.0.1", "localhost", "[::1]" }.Select(h => $"{h}:{Port}"), StringComparer.OrdinalIgnoreCase);
        _app = Build(Port, ipv6);
        try
        {
            _app.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            ((IDisposable)_app).Dispose();
            throw;
        }
    }

    public int Port { get; }
    public Uri Address => new($"http://127.0.0.1:{Port}/");
    /// <summary>Examples still to show.</summary>
    public int Left { get { lock (_gate) return _todo.Count; } }
    /// <summary>Completes once the page with the results has been served (all answered, or stopped).</summary>
    public Task Finished => _finished.Task;

    WebApplication Build(int port, bool ipv6)
    {
        // The empty builder reads no appsettings, environment or command line: nothing outside can move the server off loopback.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2)); // a stalled client must not hold up the end
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(IPAddress.Loopback, port);
            if (ipv6) kestrel.Listen(IPAddress.IPv6Loopback, port);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        return app;
    }

    /// <summary>Answers requests until the session is finished, <paramref name="cancel"/> fires or the host stops.</summary>
    public async Task ServeAsync(CancellationToken cancel = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, _app.Lifetime.ApplicationStopping);
        try
        {
            await _finished.Task.WaitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // stopped before the end: the answers so far are stored
        }
        await _app.StopAsync(CancellationToken.None);
    }

    async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        // A page of another site can point a name of its own at 127.0.0.1 (DNS rebinding); only our own names are served.
        if (!_ownHosts.Contains(request.Host.Value ?? ""))
        {
            await Text(response, 403, $"expected Host 127.0.0.1:{Port}, localhost:{Port} or [::1]:{Port}");
            return;
        }
        string path = request.Path.Value ?? "";
        if (HttpMethods.IsGet(request.Method) && path == "/")
        {
            bool finished;
            string page;
            lock (_gate)
            {
                finished = _todo.Count == 0;
                page = finished ? ResultPage() : ExamplePage(_todo.Peek());
            }
            await Send(response, 200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(page));
            if (finished) _finished.TrySetResult();
        }
        else if (HttpMethods.IsGet(request.Method) && IsImage && ExampleNumberOfImage(path) is { } number)
        {
            using var image = _data.Test.Inputs[_examples[number]].unsqueeze(0); // (1, C, H, W)
            await Send(response, 200, "image/png", ImageGrid.Render(image, columns: 1, scale: ImageScale));
        }
        else if (HttpMethods.IsPost(request.Method) && path == "/answer")
            await AnswerAsync(request, response, context.RequestAborted);
        else await Text(response, 404, "not found");
    }

    async Task AnswerAsync(HttpRequest request, HttpResponse response, CancellationToken aborted)
    {
        // A page of another site can post a form here; a browser says where the form came from.
        if (!IsSameOrigin(request))
        {
            await Text(response, 403, "expected a form from this page; refused a cross-site post");
            return;
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            await Text(response, 413, $"expected a form of at most {MaxBodyBytes} bytes");
            return;
        }
        if (!request.HasFormContentType)
        {
            await Text(response, 400, "expected a form (application/x-www-form-urlencoded) with the fields example and answer");
            return;
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(aborted);
        }
        catch (BadHttpRequestException e) // a chunked body past the limit, or a body cut short
        {
            await Text(response, e.StatusCode, $"expected a form of at most {MaxBodyBytes} bytes");
            return;
        }
        catch (InvalidDataException e)
        {
            await Text(response, 400, $"expected a form with the fields example and answer ({e.Message})");
            return;
        }
        if (!int.TryParse(form["example"], out int number) || form["answer"].ToString() is not { Length: > 0 } answer)
        {
            await Text(response, 400, "expected the fields example and answer");
            return;
        }
        lock (_gate)
        {
            // Only the example on screen can be answered: a resubmitted or stale form changes nothing.
            if (_todo.Count > 0 && _todo.Peek() == number)
            {
                if (answer == "stop") _todo.Clear();
                else if (answer == "skip") _todo.Dequeue();
                else if (int.TryParse(answer, out int chosen) && chosen >= 0 && chosen < _data.ClassCount)
                {
                    int example = _examples[number];
                    _annotations.Record(example, _pass, chosen, (int)_targets[example]);
                    _todo.Dequeue();
                }
                else number = -1;
            }
        }
        if (number < 0)
        {
            await Text(response, 400, $"expected a class from 0 to {_data.ClassCount - 1}, skip or stop; got '{answer}'");
            return;
        }
        response.StatusCode = 303; // the browser fetches the next example with a GET
        response.Headers.Location = "/";
    }

    /// <summary>
    /// Browsers send Origin with every cross-origin POST (and "null" from sandboxed or opaque pages); when it is
    /// there it must be this server. Without it the request did not come from another site's page in a browser,
    /// unless Fetch metadata says so.
    /// </summary>
    bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
            return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme == "http" && _ownHosts.Contains(uri.Authority);
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site is "" or "same-origin" or "none";
    }

    /// <summary>The example number in "/example/{number}.png", when it is one of this session's.</summary>
    int? ExampleNumberOfImage(string path) =>
        path.StartsWith("/example/", StringComparison.Ordinal) && path.EndsWith(".png", StringComparison.Ordinal)
        && int.TryParse(path["/example/".Length..^".png".Length], out int number) && number >= 0 && number < _examples.Length
            ? number : null;

    bool IsImage => _data.Test.Inputs.dtype == ScalarType.Byte;

    string ExamplePage(int number)
    {
        int example = _examples[number];
        int shown = _total - _todo.Count + 1;
        var page = new StringBuilder();
        page.Append(Head($"example {shown} of {_total}"));
        page.Append($"<p class=muted>pass {_pass} · example {shown} of {_total}</p>");
        if (IsImage)
            page.Append($"<p><img src=\"/example/{number}.png\" alt=\"example {shown}\"></p>");
        else if (_data.Table is { } table)
        {
            int row = (int)_data.Test.SourceIndices[example];
            page.Append("<table>");
            foreach (var column in table.Features)
                page.Append($"<tr><th>{Encode(column.Name)}</th><td>{Encode(column.Raw[row] ?? "(missing)")}</td></tr>");
            page.Append("</table>");
        }
        page.Append("<form method=post action=\"/answer\">");
        page.Append($"<input type=hidden name=example value=\"{number}\">");
        for (int c = 0; c < _data.ClassCount; c++)
            page.Append($"<button name=answer value=\"{c}\"{(c < 10 ? $" data-key=\"{c}\"" : "")}>{c} {Encode(_data.ClassNames[c])}</button> ");
        page.Append("<br><button name=answer value=skip data-key=s class=muted>skip (s)</button> ");
        page.Append("<button name=answer value=stop data-key=q class=muted>stop (q)</button></form>");
        page.Append("<script>document.addEventListener('keydown', e => { const b = document.querySelector(`button[data-key=\"${e.key}\"]`); if (b) b.click(); });</script>");
        return page.Append("</body></html>").ToString();
    }

    string ResultPage()
    {
        var result = _annotations.Result();
        string accuracy = result.Accuracy is { } a ? a.ToString("P1") : "n/a";
        string agreement = result.Agreement is { } g ? g.ToString("P1") : "n/a (a second pass measures it)";
        return Head("done") +
               $"<h2>Done</h2><p>human accuracy (pass 1): <b>{accuracy}</b> on {result.Annotated} examples</p>" +
               $"<p>annotator agreement (pass 1 vs 2): <b>{agreement}</b> on {result.Reannotated} examples</p>" +
               "<p class=muted>The answers are stored; `recipe check` shows them beside the model and the baselines. You can close this tab.</p></body></html>";
    }

    string Head(string title) =>
        $"<!doctype html><html><head><meta charset=utf-8><title>recipe human: {Encode(title)}</title>" +
        "<style>body{font-family:sans-serif;margin:2em}img{image-rendering:pixelated;border:1px solid #ccc}" +
        "button{font-size:1.1em;margin:.2em;padding:.4em .8em}.muted{color:#666}th{text-align:left;padding-right:1em}</style></head>" +
        $"<body><h1>Human baseline: {Encode(_data.Name)}</h1>";

    static Task Text(HttpResponse response, int status, string message) =>
        Send(response, status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes($"recipe human: {message}"));

    static async Task Send(HttpResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Whether [::1] can be bound here (containers often run without IPv6).</summary>
    static bool LoopbackV6Works()
    {
        if (!Socket.OSSupportsIPv6) return false;
        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A port free on 127.0.0.1 and, when used, on [::1] too (Kestrel's port 0 would pick a different one per address).</summary>
    static int FreePort(bool ipv6)
    {
        for (int attempt = 0; ; attempt++)
        {
            using var v4 = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            v4.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)v4.LocalEndPoint!).Port;
            if (!ipv6) return port;
            try
            {
                using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
                v6.Bind(new IPEndPoint(IPAddress.IPv6Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // taken on [::1] only: draw another
            }
        }
    }

    public void Dispose()
    {
        _app.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }
}
