using System.Text;

namespace HardNegatives.Interactive.Runner;

/// <summary>
/// Routes <see cref="Console.Out"/> to the cell that is running in the current async flow, so <c>Console.WriteLine</c> and
/// <c>printfn</c> in a cell become its <c>stdout</c> output, while other threads (and parallel runs) write where they did before.
/// </summary>
static class CellConsole
{
    static readonly AsyncLocal<CellOutputs?> Current = new();
    static readonly Lock Gate = new();
    static bool installed;

    /// <summary>Runs <paramref name="body"/> with console output going to <paramref name="outputs"/>.</summary>
    public static async Task<T> CaptureAsync<T>(CellOutputs outputs, Func<Task<T>> body)
    {
        Install();
        var previous = Current.Value;
        Current.Value = outputs;
        try { return await body(); }
        finally { Current.Value = previous; }
    }

    public static CellOutputs? Active => Current.Value;

    static void Install()
    {
        lock (Gate)
        {
            if (installed) return;
            Console.SetOut(new RoutingWriter(Console.Out));
            installed = true;
        }
    }

    sealed class RoutingWriter(TextWriter fallback) : TextWriter
    {
        public override Encoding Encoding => fallback.Encoding;
        public override void Write(char value) => Write(value.ToString());
        public override void Write(string? value)
        {
            if (value is null) return;
            if (Current.Value is { } outputs) outputs.WriteStdout(value);
            else fallback.Write(value);
        }
        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
        public override void WriteLine(string? value) => Write((value ?? "") + NewLine);
        public override void Flush() => fallback.Flush();
    }
}
