using System.CommandLine;
using HardNegatives.Cli;

namespace HardNegatives.Tests.BadInput;

/// <summary>
/// The bad-input table: one row per thing a demanding user tried, with the exit code and the one line <c>hn</c> must
/// answer. Add a row for every new case; cases that need servers or files of their own live in the other files here.
/// Exit codes: 1 bad input (one line), 2 partly done (rerun to finish), 70 unexpected (one line; HN_DEBUG=1 for the trace).
/// </summary>
[Collection(HardNegatives.Tests.BadInput.InProcessProgressCollection.Name)] // runs hn in-process: one live progress display per process
public sealed class BadInputTable
{
    public static TheoryData<string, int, string> Rows => new()
    {
        // command line                                                              exit  the error line holds
        { "generate --dataset scifact --endpoint http://127.0.0.1:9/v1 --model m --output x.jsonl --limit -1", 1, "--limit must be 0 or more" },
        { "generate --dataset no-such-set --endpoint http://127.0.0.1:9/v1 --model m --output x.jsonl",       1, "dataset 'no-such-set' is neither a folder" },
        { "generate --dataset scifact --endpoint localhost:8000 --model m --output x.jsonl",                  1, "--endpoint 'localhost:8000' is not an http(s) URL" },
        { "generate --dataset scifact --endpoint http://127.0.0.1:9/v1 --model m --output x.jsonl --num-negatives 0", 1, "--num-negatives must be at least 1" },
        { "reproduce no/such/spec.json --dry-run",                                                            1, "experiment spec not found" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Hn_answers_bad_input_with_one_clear_line(string commandLine, int exitCode, string expected)
    {
        var run = await Hn.RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(exitCode, run.Code);
        Assert.StartsWith("error: ", run.Error);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("   at ", run.Error); // no stack trace
    }

    static async Task<(int Code, string Error)> Throwing(Exception e)
    {
        var root = new RootCommand("hn");
        var command = new Command("boom");
        command.SetAction((_, _) => Task.FromException<int>(e));
        root.Subcommands.Add(command);
        var error = new StringWriter();
        return (await CliRunner.InvokeAsync(root, ["boom"], error), error.ToString());
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_line_and_exit_70()
    {
        var (code, error) = await Throwing(new NullReferenceException("Object reference not set to an instance of an object."));
        Assert.Equal(CliRunner.InternalError, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("unexpected NullReferenceException", error);
        Assert.Contains("HN_DEBUG=1", error);
    }

    [Fact]
    public async Task A_bad_input_error_from_a_parallel_loop_is_unwrapped()
    {
        var (code, error) = await Throwing(new AggregateException(new ArgumentException("query 'q7': too long")));
        Assert.Equal(1, code);
        Assert.Equal("error: query 'q7': too long", error.Trim());
    }
}
