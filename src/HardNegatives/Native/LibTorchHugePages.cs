using System.Runtime.InteropServices;

namespace HardNegatives.Native;

/// <summary>
/// Switches on LibTorch's own transparent-huge-page allocation (<c>THP_MEM_ALLOC_ENABLE=1</c>) before it first allocates.
/// </summary>
/// <remarks>
/// LibTorch's CPU allocator hands large blocks to glibc, which maps them afresh and unmaps them on free, so each forward
/// pass of an encoder faults in every large activation again, 4 KiB at a time (at 64 × 256 tokens the attention scores
/// alone are 200 MB per layer). With the switch LibTorch page-aligns blocks of 2 MiB and more and advises huge pages (<c>madvise(MADV_HUGEPAGE)</c>):
/// 512 times fewer faults. Measured on the 2-core machine: all-MiniLM-L6-v2 encodes SciFact at 256 tokens 1.4 times
/// faster, with a lower peak RSS (BENCHMARKS.md). Keeping freed blocks in glibc's heap instead (<c>mallopt</c>) was faster
/// still in isolation, but worker threads allocate from 64 MiB arenas that map larger blocks regardless, and every arena
/// then keeps its freed memory (the quickstart peaked at 8.9 GB with it, 7.5 GB without), so it is not done.
/// A <c>THP_MEM_ALLOC_ENABLE</c> the user set (e.g. 0) is kept. Linux only: elsewhere the variable means nothing.
/// </remarks>
public static class LibTorchHugePages
{
    /// <summary>Sets the variable in the C environment (LibTorch reads it once, at its first allocation); idempotent.</summary>
    public static void Enable()
    {
        if (!OperatingSystem.IsLinux()) return;
        // .NET's Environment.SetEnvironmentVariable does not reach the C environment on Unix.
        try { setenv("THP_MEM_ALLOC_ENABLE", "1", overwrite: 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [DllImport("libc", ExactSpelling = true, CharSet = CharSet.Ansi)]
    static extern int setenv(string name, string value, int overwrite);
}
