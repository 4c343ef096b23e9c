using System.Net;
using System.Net.Sockets;
using System.Text;
using Recipe.Data;
using Recipe.Reporting;
using static TorchSharp.torch;

namespace Recipe.Human;

/// <summary>
/// The human-baseline session as a page on localhost, for people who would rather click than type:
/// one test example at a time (an enlarged image, or a table row's raw values), a button per class
/// (number keys work too), skip and stop. Answers go to the same store as the terminal session's, so
/// the two can be mixed and a session resumes where it stopped. Listens on 127.0.0.1 only.
/// </summary>
public sealed class HumanWebSession : IDisposable
{
    /// <summary>How much larger than stored an image is drawn: a 28×28 digit becomes 224×224.</summary>
    const int ImageScale = 8;

    readonly Dataset _data;
    readonly HumanAnnotations _annotations;
    readonly int _pass;
    readonly long[] _targets;
    readonly Queue<int> _todo;
    readonly int _total;
    readonly HttpListener _listener = new();
    readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="examples">Test-split indices in the order to show them (already-annotated ones are skipped).</param>
    /// <param name="port">Port on 127.0.0.1; 0 picks a free one.</param>
    public HumanWebSession(Dataset data, HumanAnnotations annotations, IReadOnlyList<int> examples, int pass, int port = 0)
    {
        _data = data;
        _annotations = annotations;
        _pass = pass;
        _targets = data.Test.Targets.data<long>().ToArray();
        var done = annotations.Annotated(pass);
        _todo = new Queue<int>(examples.Where(e => !done.Contains(e)));
        _total = _todo.Count;
        Address = new Uri($"http://127.0.0.1:{(port == 0 ? FreePort() : port)}/");
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
    }

    public Uri Address { get; }
    /// <summary>Examples still to show.</summary>
    public int Left => _todo.Count;
    /// <summary>Completes once the page with the results has been served (all answered, or stopped).</summary>
    public Task Finished => _finished.Task;

    /// <summary>Answers requests until the session is finished or <paramref name="cancel"/> fires.</summary>
    public async Task ServeAsync(CancellationToken cancel = default)
    {
        using var stop = cancel.Register(() => _listener.Stop());
        while (!_finished.Task.IsCompleted && !cancel.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break; // stopped
            }
            using var response = context.Response;
            // One request per connection. The managed listener may drop a kept-alive connection after a
            // response it has already announced as keep-alive (when draining the request body stalls for
            // a moment on a busy machine); the browser's next POST then meets a closed socket. Saying
            // "Connection: close" up front costs a localhost handshake per click and removes the race.
            response.KeepAlive = false;
            try
            {
                Handle(context.Request, response);
            }
            catch (Exception e)
            {
                Send(response, 500, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes($"recipe human: {e.Message}"));
            }
        }
    }

    void Handle(HttpListenerRequest request, HttpListenerResponse response)
    {
        string path = request.Url!.AbsolutePath;
        if (request.HttpMethod == "GET" && path == "/")
        {
            bool finished = _todo.Count == 0;
            Send(response, 200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(finished ? ResultPage() : ExamplePage(_todo.Peek())));
            if (finished) _finished.TrySetResult();
        }
        else if (request.HttpMethod == "GET" && path.StartsWith("/example/", StringComparison.Ordinal) && path.EndsWith(".png", StringComparison.Ordinal)
                 && int.TryParse(path["/example/".Length..^".png".Length], out int shown) && shown >= 0 && shown < _data.Test.Count && IsImage)
        {
            using var image = _data.Test.Inputs[shown].unsqueeze(0); // (1, C, H, W)
            Send(response, 200, "image/png", ImageGrid.Render(image, columns: 1, scale: ImageScale));
        }
        else if (request.HttpMethod == "POST" && path == "/answer")
        {
            var form = ReadForm(request);
            if (!int.TryParse(form["example"], out int example) || form["answer"] is not { } answer)
            {
                Send(response, 400, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes("expected the fields example and answer"));
                return;
            }
            // Only the example on screen can be answered: a resubmitted or stale form changes nothing.
            if (_todo.Count > 0 && _todo.Peek() == example)
            {
                if (answer == "stop") _todo.Clear();
                else if (answer == "skip") _todo.Dequeue();
                else if (int.TryParse(answer, out int chosen) && chosen >= 0 && chosen < _data.ClassCount)
                {
                    _annotations.Record(example, _pass, chosen, (int)_targets[example]);
                    _todo.Dequeue();
                }
                else
                {
                    Send(response, 400, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes($"expected a class from 0 to {_data.ClassCount - 1}, skip or stop; got '{answer}'"));
                    return;
                }
            }
            response.Redirect("/"); // 303-style: the browser fetches the next example
            response.StatusCode = 303;
        }
        else Send(response, 404, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes("not found"));
    }

    bool IsImage => _data.Test.Inputs.dtype == ScalarType.Byte;

    string ExamplePage(int example)
    {
        var page = new StringBuilder();
        page.Append(Head($"example {_total - _todo.Count + 1} of {_total}"));
        page.Append($"<p class=muted>pass {_pass} · example {_total - _todo.Count + 1} of {_total} · {Encode(_data.Test.OriginOf(example))}</p>");
        if (IsImage)
            page.Append($"<p><img src=\"/example/{example}.png\" alt=\"example {example}\"></p>");
        else if (_data.Table is { } table)
        {
            int row = (int)_data.Test.SourceIndices[example];
            page.Append("<table>");
            foreach (var column in table.Features)
                page.Append($"<tr><th>{Encode(column.Name)}</th><td>{Encode(column.Raw[row] ?? "(missing)")}</td></tr>");
            page.Append("</table>");
        }
        page.Append("<form method=post action=\"/answer\">");
        page.Append($"<input type=hidden name=example value=\"{example}\">");
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

    /// <summary>The fields of a posted form (application/x-www-form-urlencoded).</summary>
    static System.Collections.Specialized.NameValueCollection ReadForm(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, request.ContentEncoding);
        return System.Web.HttpUtility.ParseQueryString(reader.ReadToEnd());
    }

    static void Send(HttpListenerResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose() => _listener.Close();
}
