namespace Recipe.Bench;

/// <summary>Progress lines go to stderr so that stdout holds only the results table.</summary>
public static class Log
{
    public static void Line(string message) => Console.Error.WriteLine(message);
}
