using Recipe.Data;
using static TorchSharp.torch;

namespace Recipe.Bench.Corpus.Data;

/// <summary>
/// Text as users feed it: whole words as autoregressive token sequences (Recipe's text reader: token 0 is the
/// line boundary and the padding, targets -1 past the end), and fixed windows of characters from a licence
/// text whose label is the next character (a classification over the alphabet).
/// </summary>
public static class Texts
{
    public const int Window = 8;
    const string Alphabet = " abcdefghijklmnopqrstuvwxyz";

    /// <summary>1,500 lower-case words of Debian's word list (every 40th), one per line.</summary>
    public static Dataset Words()
    {
        var source = File.Exists(DataSpec.SystemWords) ? File.ReadLines(DataSpec.SystemWords) : FallbackWords();
        var words = source.Where(w => w.Length is >= 3 and <= 12 && w.All(c => c is >= 'a' and <= 'z'))
            .Where((_, i) => i % 40 == 0).Take(1500).ToArray();
        var path = Path.Combine(Path.GetTempPath(), $"recipe-corpus-words-{Environment.ProcessId}.txt");
        File.WriteAllLines(path, words);
        try { return TextLinesDataset.Read(path); }
        finally { File.Delete(path); }
    }

    /// <summary>Windows of 8 characters of the GPL-3 text (letters and space only), label = the next character.</summary>
    public static Dataset NextCharacter(int train = 3000, int validation = 600)
    {
        const string licence = "/usr/share/common-licenses/GPL-3";
        var raw = File.Exists(licence) ? File.ReadAllText(licence) : string.Join(" ", FallbackWords());
        var text = new string(raw.ToLowerInvariant().Select(c => Alphabet.Contains(c) ? c : ' ').ToArray());
        text = string.Join(" ", text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        DataSplit Make(string name, int start, int count)
        {
            var x = new long[count * Window];
            var y = new long[count];
            for (int n = 0; n < count; n++)
            {
                int at = start + n * 3;                  // windows overlap by 5 characters: cheap, plenty of variety
                for (int k = 0; k < Window; k++) x[n * Window + k] = Alphabet.IndexOf(text[at + k]);
                y[n] = Alphabet.IndexOf(text[at + Window]);
            }
            return new DataSplit(name, tensor(x, dtype: int64).reshape(count, Window), tensor(y, dtype: int64));
        }
        int validationStart = train * 3 + 16, testStart = validationStart + validation * 3 + 16;
        return new Dataset
        {
            Name = "next character (GPL-3)", Source = licence, Format = DataFormat.TextLines, Task = TaskKind.Classification,
            ClassNames = Alphabet.Select(c => c == ' ' ? "space" : c.ToString()).ToArray(), ExampleShape = [Window],
            Train = Make("train", 0, train), Validation = Make("validation", validationStart, validation), Test = Make("test", testStart, 200),
        };
    }

    public static int AlphabetSize => Alphabet.Length;

    static IEnumerable<string> FallbackWords()
    {
        string[] roots = ["garden", "window", "market", "silver", "candle", "ladder", "mirror", "pencil", "rabbit", "turtle", "castle", "button"];
        string[] endings = ["", "s", "ed", "ing", "er", "ly"];
        for (int i = 0; i < 4000; i++) yield return roots[i % roots.Length] + endings[i / roots.Length % endings.Length];
    }
}
