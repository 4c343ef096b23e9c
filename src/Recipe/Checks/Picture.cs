namespace Recipe.Checks;

/// <summary>A PNG picture in a check's evidence, with a caption saying what to look for.</summary>
public sealed record Picture(string Caption, byte[] Png);
