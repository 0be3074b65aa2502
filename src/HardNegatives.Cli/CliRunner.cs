using System.CommandLine;
using HardNegatives.Data;

namespace HardNegatives.Cli;

/// <summary>
/// Runs the parsed command and turns failures into one clear line: expected ones (bad input, missing data) exit 1,
/// anything else exits 70 (EX_SOFTWARE) with the exception's type and message. No stack trace reaches a user unless
/// <c>HN_DEBUG=1</c> asks for it.
/// </summary>
public static class CliRunner
{
    /// <summary>Exit code of an unexpected failure (a bug or an unforeseen input): sysexits' EX_SOFTWARE.</summary>
    public const int InternalError = 70;

    public static Task<int> InvokeAsync(RootCommand root, string[] args) => InvokeAsync(root, args, Console.Error);

    /// <param name="error">Where the error line goes (tests pass a writer; the CLI passes stderr).</param>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter error)
    {
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Error = error };
        var debug = Environment.GetEnvironmentVariable("HN_DEBUG") is "1" or "true";
        try
        {
            return await root.Parse(args).InvokeAsync(config);
        }
        catch (Exception thrown)
        {
            var e = Unwrap(thrown);
            if (e is OperationCanceledException)
            {
                error.WriteLine("cancelled");
                return 130;
            }
            if (e is OptionsValidationException invalid)
            {
                error.WriteLine($"error: {CliOptionNames.Describe(invalid)}");
                return 1;
            }
            if (IsUserError(e))
            {
                var hint = e is UnauthorizedAccessException
                    ? " (hn cannot write there: check the folder's permissions, or point HN_HOME, --store or --output at a writable folder)" : "";
                error.WriteLine($"error: {e.Message}{hint}");
                if (debug) error.WriteLine(thrown);
                return 1;
            }
            error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message} (a bug in hn, or input it does not handle; HN_DEBUG=1 shows the stack trace)");
            if (debug) error.WriteLine(thrown);
            return InternalError;
        }
    }

    /// <summary>The one real error inside the wrappers parallel loops and reflection add.</summary>
    static Exception Unwrap(Exception e)
    {
        while (true)
        {
            if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
            else if (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
            else return e;
        }
    }

    static bool IsUserError(Exception e) =>
        e is DataFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
          or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException or HttpRequestException;
}
