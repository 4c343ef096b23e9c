using System.Text;

namespace Recipe.Data;

/// <summary>Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, newlines inside quotes).</summary>
public static class CsvParser
{
    /// <summary>One record and the line it starts on (1-based).</summary>
    public sealed record Record(int Line, string[] Fields);

    public static IEnumerable<Record> Parse(TextReader reader, string file)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        bool quoted = false, fieldStarted = false, any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0 && !fieldStarted:
                    quoted = true; fieldStarted = true; any = true;
                    break;
                case ',':
                    fields.Add(field.ToString()); field.Clear(); fieldStarted = false; any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (any || field.Length > 0) { fields.Add(field.ToString()); yield return new Record(recordLine, fields.ToArray()); }
                    fields.Clear(); field.Clear(); fieldStarted = false; any = false;
                    line++; recordLine = line;
                    break;
                default:
                    field.Append(ch); any = true;
                    break;
            }
        }
        if (quoted) throw new DataException(file, $"line {recordLine}", "a closing quote before the end of the file");
        if (any || field.Length > 0) { fields.Add(field.ToString()); yield return new Record(recordLine, fields.ToArray()); }
    }
}
