using System.ComponentModel;
using Recipe.Data;
using Recipe.Human;
using Recipe.Tracking;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Recipe.Cli.Commands;

/// <summary>
/// `recipe human`: a person labels test examples one at a time, in the terminal or (`--web`) on a page
/// on localhost; the answers go to the store, giving the human accuracy (pass 1) and annotator
/// agreement (pass 2 on the same examples).
/// </summary>
public sealed class HumanCommand : Command<HumanCommand.Settings>
{
    public sealed class Settings : CommonSettings
    {
        [CommandOption("-n|--count <N>")]
        [Description("How many test examples to show.")]
        [DefaultValue(100)]
        public int Count { get; init; }

        [CommandOption("--pass <1|2>")]
        [Description("1 for the first annotation; 2 re-annotates the same examples (in another order) for agreement.")]
        [DefaultValue(1)]
        public int Pass { get; init; }

        [CommandOption("--web")]
        [Description("Show the examples on a page on localhost (click a class or press its number) instead of in the terminal.")]
        public bool Web { get; init; }

        [CommandOption("--port <PORT>")]
        [Description("Port of the --web page on 127.0.0.1 (0: any free port).")]
        [DefaultValue(0)]
        public int Port { get; init; }

        [CommandOption("--store <PATH>")]
        [Description("SQLite store of the answers.")]
        [DefaultValue(RecipeStore.DefaultPath)]
        public string Store { get; init; } = RecipeStore.DefaultPath;

        public override ValidationResult Validate() =>
            base.Validate() is { Successful: false } common ? common :
            Pass is not (1 or 2) ? ValidationResult.Error("--pass must be 1 or 2") :
            Count < 1 ? ValidationResult.Error("--n must be at least 1") :
            Port is < 0 or > 65535 ? ValidationResult.Error("--port must be from 0 to 65535") :
            // --out comes with the common options, but the answers go to --store: a folder given here would silently stay empty.
            Out != "runs/latest" ? ValidationResult.Error("--out has no effect with recipe human (the answers go to --store)") :
            Port != 0 && !Web ? ValidationResult.Error("--port has no effect without --web (the terminal session listens on no port)") :
            string.IsNullOrWhiteSpace(Store) ? ValidationResult.Error("--store must be a file path, found an empty value") :
            Directory.Exists(Store) ? ValidationResult.Error($"--store {Store}: expected a SQLite file, found a folder") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var data = DataSpec.Load(settings.Data, new ReadOptions(settings.Target, settings.ImageSize, NoHeader: settings.NoHeader, Task: settings.TaskKind));
        if (data.Task != TaskKind.Classification)
            throw new UsageException($"recipe human needs a classification dataset; {data.Name} is {data.Task}");
        using var store = new RecipeStore(settings.Store);
        var annotations = new HumanAnnotations(store, data.Source);
        var examples = HumanSample.Draw(data.Test.Count, settings.Count, settings.Seed);
        if (settings.Pass == 2) new Random(unchecked((int)settings.Seed + 2)).Shuffle(examples); // same examples, new order
        if (settings.Web) Serve(data, annotations, examples, settings);
        else AskInTerminal(data, annotations, examples, settings);

        var result = annotations.Result();
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLineInterpolated($"human accuracy (pass 1): {(result.Accuracy is { } a ? a.ToString("P1") : "n/a")} on {result.Annotated} examples");
        AnsiConsole.MarkupLineInterpolated($"annotator agreement (pass 1 vs 2): {(result.Agreement is { } g ? g.ToString("P1") : "n/a (run --pass 2)")} on {result.Reannotated} examples");
        AnsiConsole.MarkupLineInterpolated($"stored in {settings.Store}");
        return 0;
    }

    /// <summary>Serves the session on localhost until the person finishes or stops, or Ctrl+C.</summary>
    static void Serve(Dataset data, HumanAnnotations annotations, int[] examples, Settings settings)
    {
        using var session = Listen(data, annotations, examples, settings);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]Human baseline[/], pass {settings.Pass}: {session.Left} of {examples.Length} examples left.");
            AnsiConsole.MarkupLineInterpolated($"Open [link]http://localhost:{session.Port}/[/] in a browser; answers are kept as you go. Ctrl+C stops.");
            session.ServeAsync(cancel.Token).GetAwaiter().GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    static HumanWebSession Listen(Dataset data, HumanAnnotations annotations, int[] examples, Settings settings)
    {
        try
        {
            return new HumanWebSession(data, annotations, examples, settings.Pass, settings.Port);
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot listen on 127.0.0.1:{settings.Port} ({(e.InnerException ?? e).Message}); pick another --port, or 0 for any free one");
        }
    }

    static void AskInTerminal(Dataset data, HumanAnnotations annotations, int[] examples, Settings settings)
    {
        var done = annotations.Annotated(settings.Pass);
        var targets = data.Test.Targets.data<long>().ToArray();

        var todo = examples.Where(e => !done.Contains(e)).ToArray();
        AnsiConsole.MarkupLineInterpolated($"[bold]Human baseline[/], pass {settings.Pass}: {todo.Length} of {examples.Length} examples left. Answer with the class number; s skips, q stops (answers so far are kept).");
        for (int i = 0; i < todo.Length; i++)
        {
            int example = todo[i];
            AnsiConsole.WriteLine();
            // Only the example's place in this session: its file path (an image folder's holds the class name) or test index would give the answer away.
            AnsiConsole.MarkupLineInterpolated($"[grey]example {i + 1}/{todo.Length}[/]");
            ExampleView.Show(data, example);
            AnsiConsole.WriteLine(string.Join("   ", data.ClassNames.Select((name, c) => $"{c} {name}")));
            var answer = Ask(data.ClassCount);
            if (answer is null) break;
            if (answer < 0) continue;
            annotations.Record(example, settings.Pass, answer.Value, (int)targets[example]);
        }
    }

    /// <summary>Reads a class number; -1 to skip, null to stop (also at the end of input).</summary>
    static int? Ask(int classCount)
    {
        while (true)
        {
            Console.Write($"answer (0-{classCount - 1}, s, q): ");
            var line = Console.ReadLine()?.Trim();
            if (line is null or "q") return null;
            if (line == "s") return -1;
            if (int.TryParse(line, out var c) && c >= 0 && c < classCount) return c;
            Console.WriteLine($"  expected a number from 0 to {classCount - 1}, s or q");
        }
    }
}
