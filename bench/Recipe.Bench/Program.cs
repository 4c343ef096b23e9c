using Recipe.Bench;
using TorchSharp;

// Recipe.Bench: speed benchmarks, run side by side, printed as one table (stdout, Markdown) and saved
// as JSON. Progress goes to stderr. bench/run builds everything and runs `all`.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"Recipe.Bench: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine(string.Join(Environment.NewLine, Benchmarks.All.Select(b => $"  {b.Name,-8} {b.Description}")));
    return 2;
}

Recipe.Native.TorchRuntime.EnsureLoadable();
torch.set_num_threads(options.Threads);
if (!options.MallocDefaults) Recipe.Training.NativeHeap.KeepFreedMemory();
var machine = MachineInfo.Read(torch.get_num_threads(), Recipe.Training.NativeHeap.Applied ? "freed memory kept (Recipe's NativeHeap)" : "glibc defaults");
Log.Line($"machine: {machine}");

var table = new ResultTable();
foreach (var name in options.Commands)
{
    var benchmark = Benchmarks.All.Single(b => b.Name == name);
    Log.Line($"== {benchmark.Name}: {benchmark.Description}");
    table.Add(benchmark.Run(options));
}

Console.WriteLine($"Machine: {machine}; load average at end {MachineInfo.LoadAverageNow()}");
Console.WriteLine();
Console.Write(table.ToMarkdown());
table.SaveJson(options.JsonPath, machine);
Log.Line($"saved {options.JsonPath}");
if (options.Quick)
{
    Log.Line("--quick: a smoke test of the harness; too few repeats to judge a target, so the exit code ignores them");
    return 0;
}
return table.Rows.Any(r => r.Met == "NO") ? 1 : 0;
