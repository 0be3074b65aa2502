using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace HardNegatives.Models.Onnx;

/// <summary>
/// Reads a manifest resource embedded in a .NET assembly file without loading the assembly (no code runs): the resource table in
/// its metadata gives an offset into the CLI resources section, where each resource is a 4-byte length and its bytes.
/// </summary>
public static class ManifestResources
{
    /// <summary>The names of the resources embedded in <paramref name="assemblyPath"/>.</summary>
    public static IReadOnlyList<string> Names(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        return [.. md.ManifestResources.Select(h => md.GetString(md.GetManifestResource(h).Name))];
    }

    /// <summary>Copies resource <paramref name="name"/> of <paramref name="assemblyPath"/> to <paramref name="destination"/>.</summary>
    public static void CopyTo(string assemblyPath, string name, Stream destination)
    {
        using var file = File.OpenRead(assemblyPath);
        using var pe = new PEReader(file, PEStreamOptions.LeaveOpen);
        var md = pe.GetMetadataReader();
        foreach (var handle in md.ManifestResources)
        {
            var resource = md.GetManifestResource(handle);
            if (md.GetString(resource.Name) != name) continue;
            if (!resource.Implementation.IsNil) throw new InvalidDataException($"{assemblyPath}: resource {name} lives in another file");
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out int start))
                throw new InvalidDataException($"{assemblyPath}: the resources directory is not in the file");
            file.Position = start + resource.Offset;
            Span<byte> prefix = stackalloc byte[4];
            file.ReadExactly(prefix);
            long length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
            if (resource.Offset + 4 + length > directory.Size)
                throw new InvalidDataException($"{assemblyPath}: resource {name} ({length} bytes) runs past the resources section");
            var buffer = new byte[1 << 20];
            while (length > 0)
            {
                int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
                if (n == 0) throw new EndOfStreamException($"{assemblyPath}: resource {name} is cut short");
                destination.Write(buffer, 0, n);
                length -= n;
            }
            return;
        }
        throw new KeyNotFoundException($"{assemblyPath} has no resource {name} (it has: {string.Join(", ", Names(assemblyPath))})");
    }
}
