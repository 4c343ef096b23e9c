using Recipe.Data;
using Recipe.Interop;
using static TorchSharp.torch;

namespace Recipe.Predict;

/// <summary>
/// Next-token samples from a trained text model: each sample starts at the line boundary (then the prompt, if any)
/// and draws one character at a time from the model's softmax until it predicts the boundary again or reaches the
/// longest sequence the model was trained on. One seeded generator draws every character, so the same seed gives
/// the same samples.
/// </summary>
public static class TextSampler
{
    /// <exception cref="DataException">The model is not a text model, or the prompt has a character outside its vocabulary or is too long.</exception>
    public static IReadOnlyList<string> Sample(nn.Module<Tensor, Tensor> model, ModelCard card, int count, string prompt, long seed)
    {
        var vocabulary = card.Task == TaskKind.Sequence && card.VocabularyObject is { } v ? v
            : throw new DataException("--samples", "model", $"a text model (it samples characters), found a {card.Task.ToString().ToLowerInvariant()} model trained on {card.TrainedOn}");
        int steps = (int)card.ExampleShape[0]; // the boundary plus the longest line: positions a transformer learned
        for (int c = 0; c < prompt.Length; c++)
            if (!vocabulary.Contains(prompt[c]) || prompt[c] == Vocabulary.Boundary)
                throw new DataException("--prompt", $"character {c + 1}", $"a character of the model's vocabulary ({vocabulary.Size - 1} characters), found '{prompt[c]}' (U+{(int)prompt[c]:X4})");
        if (prompt.Length >= steps)
            throw new DataException("--prompt", $"character {steps}", $"at most {steps - 1} characters (the longest line the model was trained on), found {prompt.Length}");

        var generator = new Generator((ulong)seed);
        var tokens = Enumerable.Range(0, count).Select(_ => new List<long> { 0 }.Concat(prompt.Select(ch => (long)vocabulary.Encode(ch))).ToList()).ToList();
        var finished = new bool[count];
        model.eval();
        using (no_grad())
        {
            for (int t = tokens[0].Count; t < steps && finished.Contains(false); t++)
            {
                using var scope = NewDisposeScope();
                var input = tensor(tokens.SelectMany(s => s).ToArray(), dtype: int64).reshape(count, t);
                var last = model.call(input).select(1, t - 1); // (count, vocabulary): the next character's logits
                var drawn = multinomial(last.softmax(-1), 1, generator: generator).squeeze(1).data<long>().ToArray();
                for (int n = 0; n < count; n++)
                {
                    long next = finished[n] ? 0 : drawn[n]; // a finished sample pads with the boundary, which ends it
                    tokens[n].Add(next);
                    if (next == 0) finished[n] = true;
                }
            }
        }
        return tokens.Select(s => new string(s.Skip(1).TakeWhile(token => token != 0).Select(vocabulary.Decode).ToArray())).ToList();
    }
}
