using System.Text;
using HardNegatives.Kernel.Engine;

namespace HardNegatives.Kernel.Engines;

/// <summary>
/// Sends what a cell writes to <see cref="Console.Out"/> and <see cref="Console.Error"/> (printfn, Console.WriteLine, a
/// library's log line) to the running cell's <see cref="ICellOutput"/> as <c>stream</c> output. Installed once per process;
/// between cells the writes reach the real console (the kernel's log).
/// </summary>
public static class CellConsole
{
    static readonly Lock Gate = new();
    static TextWriter? console, consoleError;
    static volatile ICellOutput? current;

    /// <summary>Routes the console to <paramref name="output"/> until the returned scope is disposed.</summary>
    public static IDisposable Route(ICellOutput output)
    {
        lock (Gate)
        {
            if (console is null)
            {
                console = Console.Out;
                consoleError = Console.Error;
                Console.SetOut(new Forward(text => { if (current is { } cell) cell.WriteStdout(text); else console.Write(text); }));
                Console.SetError(new Forward(text => { if (current is { } cell) cell.WriteStderr(text); else consoleError!.Write(text); }));
            }
            var previous = current;
            current = output;
            return new Scope(() => current = previous);
        }
    }

    sealed class Scope(Action end) : IDisposable
    {
        int ended;
        public void Dispose() { if (Interlocked.Exchange(ref ended, 1) == 0) end(); }
    }

    sealed class Forward(Action<string> write) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => write(value.ToString());
        public override void Write(string? value) { if (!string.IsNullOrEmpty(value)) write(value); }
        public override void Write(char[] buffer, int index, int count) { if (count > 0) write(new string(buffer, index, count)); }
        public override void WriteLine(string? value) => write((value ?? "") + NewLine);
    }
}
