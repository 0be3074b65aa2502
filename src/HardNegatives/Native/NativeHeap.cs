using System.Runtime.InteropServices;

namespace HardNegatives.Native;

/// <summary>
/// Stops LibTorch's CPU activations from being page-faulted in afresh on every forward pass.
/// </summary>
/// <remarks>
/// LibTorch's CPU allocator is <c>posix_memalign</c>. glibc serves large blocks with fresh mappings and unmaps them on free,
/// so every forward pass of an encoder faults in (and the kernel zeroes) each large activation again, 4 KiB at a time: at
/// 64 × 256 tokens the attention scores (200 MB) and FFN activations (100 MB) of every layer. Measured on the 2-core
/// machine this cost all-MiniLM-L6-v2's forward a third of its time (BENCHMARKS.md). Two settings, applied before LibTorch
/// allocates:
/// <list type="bullet">
/// <item>blocks that fit in a glibc heap stay there (no mmap, trimming only above 1 GiB of free top), so they are reused;</item>
/// <item>larger blocks (above the 64 MiB heaps of worker threads, where glibc maps regardless) use LibTorch's own
/// <c>THP_MEM_ALLOC_ENABLE</c>: 2 MiB-aligned and advised as transparent huge pages, 512 times fewer faults.</item>
/// </list>
/// <c>HN_MALLOC_TUNING=0</c> turns both off; a <c>THP_MEM_ALLOC_ENABLE</c> already set is kept; other C libraries are left alone.
/// </remarks>
public static class NativeHeap
{
    const int M_TRIM_THRESHOLD = -1, M_MMAP_MAX = -4;

    /// <summary>True when glibc accepted the settings in this process.</summary>
    public static bool Tuned { get; private set; }

    /// <summary>Applies the settings once, before LibTorch allocates; idempotent.</summary>
    public static void KeepLargeBlocks()
    {
        if (Tuned || !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("HN_MALLOC_TUNING") == "0") return;
        try
        {
            // LibTorch reads its variable from the C environment (once, at its first allocation): .NET's
            // Environment.SetEnvironmentVariable would not reach it on Unix.
            setenv("THP_MEM_ALLOC_ENABLE", "1", overwrite: 0);
            Tuned = mallopt(M_MMAP_MAX, 0) == 1 & mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: nothing to tune.
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    static extern int mallopt(int param, int value);

    [DllImport("libc", ExactSpelling = true, CharSet = CharSet.Ansi)]
    static extern int setenv(string name, string value, int overwrite);
}
