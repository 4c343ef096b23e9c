using System.Runtime.InteropServices;

namespace Recipe.Data;

/// <summary>
/// Refuses paths that are not regular files before anything opens them: reading /dev/zero never ends,
/// opening a FIFO blocks until some writer appears, and a pipe such as <c>&lt;(cat x.csv)</c> can be
/// read only once while Recipe reads its data more than once (the audit and the run each load it).
/// .NET's File APIs cannot tell these apart from a file, so the kernel is asked (statx, whose layout
/// is the same on every Linux architecture).
/// </summary>
public static partial class RegularFile
{
    /// <exception cref="DataException">The path is a pipe, a device or a socket.</exception>
    public static void Require(string path)
    {
        var kind = KindOf(path);
        if (kind is not null)
            throw new DataException(path, "path", $"a regular file, found {kind}: save the data to a file first");
    }

    /// <summary>What the path is when it is not a regular file or a folder; null for those, for a missing path, or off Linux.</summary>
    public static string? KindOf(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        const int AtCurrentFolder = -100;
        const uint WantType = 0x1; // STATX_TYPE
        const int ModeOffset = 28; // stx_mode: a 16-bit field after mask, blksize, attributes, nlink, uid and gid
        Span<byte> status = stackalloc byte[256]; // sizeof(struct statx)
        if (Statx(AtCurrentFolder, path, 0, WantType, ref MemoryMarshal.GetReference(status)) != 0) return null;
        int type = BitConverter.ToUInt16(status[ModeOffset..]) & 0xF000;
        return type switch
        {
            0x8000 or 0x4000 => null, // regular file, directory
            0x1000 => "a pipe (FIFO)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "something other than a file",
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int folder, string path, int flags, uint mask, ref byte status);
}
