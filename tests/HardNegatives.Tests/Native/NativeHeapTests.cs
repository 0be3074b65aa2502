using System.Runtime.InteropServices;
using HardNegatives.Native;

namespace HardNegatives.Tests.Native;

/// <summary>Once TorchSharp is loadable, large native blocks are reused from glibc's heap and LibTorch is asked for huge pages.</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void A16MiBBlock_IsNotAFreshMapping_AndLibTorchSeesTheHugePageSwitch()
    {
        Assert.True(OperatingSystem.IsLinux(), "the kit's CI and tests run on Linux (glibc)");
        TorchRuntime.EnsureLoadable();
        Assert.True(NativeHeap.Tuned);
        // LibTorch reads the C environment, not .NET's copy of it.
        Assert.Equal("1", Marshal.PtrToStringAnsi(getenv("THP_MEM_ALLOC_ENABLE")));

        const int size = 16 << 20;
        var before = mallinfo2().hblkhd;
        var block = Marshal.AllocHGlobal(size);   // malloc on Unix
        try
        {
            // Without the tuning glibc maps a block this size by itself (its threshold starts at 128 KiB), and hblkhd
            // (bytes in mapped blocks) grows by it.
            Assert.True(mallinfo2().hblkhd < before + size, "a 16 MiB malloc was served by a fresh mmap");
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc", ExactSpelling = true)]
    static extern MallInfo2 mallinfo2();

    [DllImport("libc", ExactSpelling = true, CharSet = CharSet.Ansi)]
    static extern nint getenv(string name);
}
