using System.Runtime.InteropServices;
using HardNegatives.Native;
using static TorchSharp.torch;

namespace HardNegatives.Tests.Native;

/// <summary>LibTorch allocates large CPU tensors as huge pages once the kit has loaded it.</summary>
public sealed class LibTorchHugePagesTests
{
    [Fact]
    public void LargeTensors_ArePageAligned_AsLibTorchsHugePageAllocatorMakesThem()
    {
        Assert.True(OperatingSystem.IsLinux(), "the kit's CI and tests run on Linux");
        TorchRuntime.EnsureLoadable();
        // LibTorch reads the C environment, not .NET's copy of it.
        Assert.Equal("1", Marshal.PtrToStringAnsi(getenv("THP_MEM_ALLOC_ENABLE")));
        // With the switch LibTorch page-aligns blocks of 2 MiB and more (then advises huge pages); without it a 32 MiB
        // block starts 64 bytes into its page (its default alignment past glibc's chunk header).
        using var big = zeros(8 << 20);
        Assert.Equal(0L, (long)big.storage<float>().data_ptr() % Environment.SystemPageSize);
    }

    [DllImport("libc", ExactSpelling = true, CharSet = CharSet.Ansi)]
    static extern nint getenv(string name);
}
