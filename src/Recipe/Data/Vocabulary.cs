namespace Recipe.Data;

/// <summary>A character vocabulary. Token 0 is the boundary marker that starts and ends every line.</summary>
public sealed class Vocabulary
{
    public const char Boundary = '\u2400'; // ␀, never found in text files

    public Vocabulary(IEnumerable<char> characters)
    {
        Characters = [Boundary, .. characters.Distinct().Order()];
        _index = Characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    readonly Dictionary<char, int> _index;

    /// <summary>Characters by token id; id 0 is <see cref="Boundary"/>.</summary>
    public IReadOnlyList<char> Characters { get; }
    public int Size => Characters.Count;

    public int Encode(char c) => _index[c];
    public bool Contains(char c) => _index.ContainsKey(c);
    public char Decode(long token) => token >= 0 && token < Characters.Count ? Characters[(int)token] : '?';

    /// <summary>Decodes a token sequence up to the first boundary after the start.</summary>
    public string DecodeLine(IEnumerable<long> tokens) =>
        new(tokens.SkipWhile(t => t == 0).TakeWhile(t => t > 0).Select(Decode).ToArray());
}
