using System.Buffers.Binary;
using System.Text;

namespace HardNegatives.Native;

/// <summary>
/// Reads and edits the symbol-version requirements (<c>.gnu.version_r</c>) of an ELF64 little-endian shared library.
/// Just enough ELF to mark one required version as weak; see environment.md ("TorchSharp on Debian 12").
/// </summary>
public static class ElfVersionNeeds
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    /// <summary>VER_FLG_WEAK: the dynamic loader only notes a missing weak version instead of refusing to load.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>One <c>Vernaux</c> entry: a version (e.g. GLIBCXX_3.4.32) required from a library (e.g. libstdc++.so.6).</summary>
    public sealed record VersionNeed(string Library, string Version, ushort Flags, long FlagsOffset)
    {
        public bool IsWeak => (Flags & WeakFlag) != 0;
    }

    /// <summary>Lists every version requirement in the image.</summary>
    public static IReadOnlyList<VersionNeed> Read(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        var needs = new List<VersionNeed>();
        for (int i = 0; i < shnum; i++)
        {
            var sh = elf.Slice(checked((int)(shoff + (long)i * shentsize)), shentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtGnuVerneed) continue;
            long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]);
            uint link = BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(sh[0x2C..]);
            var strtab = elf.Slice(checked((int)(shoff + (long)link * shentsize)), shentsize);
            long strOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(strtab[0x18..]);

            long vn = offset;
            for (uint n = 0; n < count; n++)
            {
                var verneed = elf[(int)vn..];
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(verneed[2..]);
                string file = CString(elf, strOffset + BinaryPrimitives.ReadUInt32LittleEndian(verneed[4..]));
                long aux = vn + BinaryPrimitives.ReadUInt32LittleEndian(verneed[8..]);
                for (int a = 0; a < auxCount; a++)
                {
                    var vernaux = elf[(int)aux..];
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(vernaux[4..]);
                    string name = CString(elf, strOffset + BinaryPrimitives.ReadUInt32LittleEndian(vernaux[8..]));
                    needs.Add(new VersionNeed(file, name, flags, aux + 4));
                    uint next = BinaryPrimitives.ReadUInt32LittleEndian(vernaux[12..]);
                    if (next == 0) break;
                    aux += next;
                }
                uint nextNeed = BinaryPrimitives.ReadUInt32LittleEndian(verneed[12..]);
                if (nextNeed == 0) break;
                vn += nextNeed;
            }
        }
        return needs;
    }

    /// <summary>Sets VER_FLG_WEAK on the given requirements in place; returns how many changed.</summary>
    public static int MarkWeak(Span<byte> elf, IEnumerable<VersionNeed> needs)
    {
        int changed = 0;
        foreach (var need in needs.Where(n => !n.IsWeak))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(elf[(int)need.FlagsOffset..], (ushort)(need.Flags | WeakFlag));
            changed++;
        }
        return changed;
    }

    static string CString(ReadOnlySpan<byte> data, long offset)
    {
        var s = data[(int)offset..];
        int end = s.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? s : s[..end]);
    }
}
