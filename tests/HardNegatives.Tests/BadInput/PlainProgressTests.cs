using System.Text.RegularExpressions;
using HardNegatives.Cli;
using HardNegatives.Tests.Data;

namespace HardNegatives.Tests.BadInput;

/// <summary>
/// Case 10: progress when output is not a terminal (CI logs, <c>hn … | tee</c>): plain lines, one per 10% of a stage and
/// one per 30 s of a stage without a total. The clock is driven by hand; no test waits for real time.
/// </summary>
public sealed class PlainProgressTests
{
    sealed class ManualClock : TimeProvider
    {
        public long Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    [Fact]
    public void A_stage_with_a_total_prints_a_line_when_it_starts_and_at_every_tenth()
    {
        var log = new StringWriter();
        var lines = new PlainProgressLines("encode scifact", log, new ManualClock());
        for (int done = 0; done <= 1000; done += 7) lines.Report("texts", done, 1000);
        lines.Report("texts", 1000, 1000);
        var printed = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("encode scifact: texts 0/1,000 (0%)", printed[0]);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i * 10), printed.Select(l => int.Parse(Regex.Match(l, @"\((\d+)%\)").Groups[1].Value) / 10 * 10));
        Assert.Equal("encode scifact: texts 1,000/1,000 (100%)", printed[^1]);
    }

    [Fact]
    public void A_new_stage_starts_a_new_count_and_details_do_not_add_lines()
    {
        var log = new StringWriter();
        var lines = new PlainProgressLines("bm25", log, new ManualClock());
        lines.Report("index", 50, 100, "a");
        lines.Report("index", 55, 100, "b"); // same tenth: no line
        lines.Report("search", 1, 300);
        Assert.Equal(["bm25: index 50/100 (50%) a", "bm25: search 1/300 (0%)"], log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_stage_without_a_total_prints_a_line_every_interval()
    {
        var log = new StringWriter();
        var clock = new ManualClock();
        var lines = new PlainProgressLines("checksum", log, clock);
        for (int i = 1; i <= 100; i++)
        {
            lines.Report("bytes", i, null);
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        // At 0 s, then 30, 60 and 90 s.
        Assert.Equal(["checksum: bytes 1", "checksum: bytes 31", "checksum: bytes 61", "checksum: bytes 91"],
            log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Hn_with_redirected_output_prints_plain_progress_lines()
    {
        var home = Directory.CreateTempSubdirectory("hn-plain-progress-").FullName;
        try
        {
            var r = HnCli.Run(new Dictionary<string, string> { ["HN_HOME"] = home }, "search", "bm25", "--dataset", "scifact", "--top-k", "10",
                "--output", Path.Combine(home, "run.txt"));
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Contains("bm25 scifact: index 5,183/5,183 (100%)", r.ErrorLines);
            Assert.Contains("bm25 scifact: search 300/300 (100%)", r.ErrorLines);
            Assert.DoesNotContain("\u001b[", r.StdErr); // no terminal control codes in a log
        }
        finally { Directory.Delete(home, recursive: true); }
    }
}
