using System.CommandLine;
using HardNegatives.Data;

namespace HardNegatives.Cli;

/// <summary>Runs the parsed command and turns expected failures (bad input, missing data) into one clear line and exit code 1.</summary>
static class CliRunner
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(config);
        }
        catch (OptionsValidationException e)
        {
            Console.Error.WriteLine($"error: {CliOptionNames.Describe(e)}");
            return 1;
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }

    static bool IsUserError(Exception e) =>
        e is DataFormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
          or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException or HttpRequestException;
}
