using System.Text;
using HardNegatives.Kernel.Engine;

namespace HardNegatives.Kernel.Execution;

/// <summary>
/// Process-wide Console.Out, Console.Error and Console.In that forward to the running cell (<see cref="CellContext"/>), for
/// every engine: C# <c>Console.WriteLine</c> and F# <c>printfn</c> become <c>stream</c> messages, <c>Console.ReadLine</c> an
/// <c>input_request</c>. Outside a cell, writes go to the kernel's own stderr (the front end's log).
/// </summary>
public static class CellConsole
{
    /// <summary>Redirects the console; returns the original stderr, where the kernel logs.</summary>
    public static TextWriter Install()
    {
        var log = Console.Error;
        Console.SetOut(new CellWriter(log, (cell, text) => cell.WriteStdout(text)));
        Console.SetError(new CellWriter(log, (cell, text) => cell.WriteStderr(text)));
        Console.SetIn(new CellReader());
        return log;
    }

    sealed class CellWriter(TextWriter fallback, Action<ICellOutput, string> write) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            if (CellContext.Current is { } cell) write(cell, value);
            else fallback.Write(value);
        }

        public override void WriteLine(string? value) => Write(value + Environment.NewLine);
    }

    sealed class CellReader : TextReader
    {
        public override string? ReadLine() => CellContext.Current?.ReadLine("", password: false);

        public override int Read() => -1;
    }
}
