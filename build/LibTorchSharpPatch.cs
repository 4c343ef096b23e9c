// Makes TorchSharp's native library load on Linux systems whose libstdc++ predates GCC 13.
//
// libLibTorchSharp.so (TorchSharp 0.107) asks for the symbol version GLIBCXX_3.4.32. The only symbol
// under it is std::ios_base_library_init(), a marker GCC 13's <iostream> references and never calls.
// Marking that one version requirement weak (VER_FLG_WEAK in its Elf64_Vernaux entry) lets the
// dynamic loader accept a libstdc++ without it; every other byte of the library stays as it was.
//
// Written for netstandard2.0 (what MSBuild's inline tasks compile against).
// This file is compiled twice: into the Recipe library (tests and the run-time fallback use it) and,
// by MSBuild's RoslynCodeTaskFactory, into the build task that patches every build and publish output.
using System;
using System.IO;
using System.Text;

#if !RECIPE_LIBRARY
public class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    /// <summary>Folder to search (recursively) for copies of libLibTorchSharp.so.</summary>
    [Microsoft.Build.Framework.Required]
    public string Folder { get; set; } = "";

    public override bool Execute()
    {
        if (!Recipe.Native.ElfWeakVersion.SystemNeedsPatch()) return true;
        if (!Directory.Exists(Folder)) return true;
        foreach (var path in Directory.EnumerateFiles(Folder, Recipe.Native.ElfWeakVersion.LibraryName, SearchOption.AllDirectories))
        {
            var outcome = Recipe.Native.ElfWeakVersion.PatchFile(path);
            if (outcome == Recipe.Native.PatchOutcome.Patched)
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"recipe: marked {Recipe.Native.ElfWeakVersion.MissingVersion} weak in {path}");
        }
        return true;
    }
}
#endif

namespace Recipe.Native
{
    public enum PatchOutcome { Patched, AlreadyWeak, NotRequired }

    public static class ElfWeakVersion
    {
        public const string LibraryName = "libLibTorchSharp.so";
        public const string MissingVersion = "GLIBCXX_3.4.32";
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlagWeak = 0x2;

        static readonly string[] LibStdCxxCandidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };

        /// <summary>True on Linux when the system libstdc++ exists and does not define the version.</summary>
        public static bool SystemNeedsPatch()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return false;
            foreach (var candidate in LibStdCxxCandidates)
                if (File.Exists(candidate))
                    return !DefinesVersion(File.ReadAllBytes(candidate), MissingVersion);
            return false;
        }

        static bool DefinesVersion(byte[] library, string version) =>
            IndexOf(library, Encoding.ASCII.GetBytes(version + "\0")) >= 0;

        static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i <= haystack.Length - needle.Length; i++)
            {
                if (haystack[i] != needle[0]) continue;
                int j = 1;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }

        /// <summary>Patches the file in place; writes nothing when the requirement is absent or already weak.</summary>
        public static PatchOutcome PatchFile(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var outcome = Patch(bytes, MissingVersion);
            if (outcome == PatchOutcome.Patched)
            {
                // Write beside, then replace: a crash mid-write never leaves a half-patched library.
                var temporary = path + ".patching";
                File.WriteAllBytes(temporary, bytes);
                File.Delete(path);
                File.Move(temporary, path);
            }
            return outcome;
        }

        /// <summary>Sets VER_FLG_WEAK on the Elf64_Vernaux entry named <paramref name="version"/>.</summary>
        public static PatchOutcome Patch(byte[] elf, string version)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("only little-endian ELF64 is supported");

            ulong sectionTable = U64(elf, 0x28);
            int sectionSize = U16(elf, 0x3A), sectionCount = U16(elf, 0x3C);
            for (int s = 0; s < sectionCount; s++)
            {
                int header = checked((int)sectionTable + s * sectionSize);
                if (U32(elf, header + 4) != ShtGnuVerneed) continue;
                int offset = checked((int)U64(elf, header + 0x18));
                int strings = checked((int)U64(elf, checked((int)sectionTable + (int)U32(elf, header + 0x28) * sectionSize) + 0x18));
                return PatchVerneed(elf, offset, strings, version);
            }
            return PatchOutcome.NotRequired;
        }

        static PatchOutcome PatchVerneed(byte[] elf, int need, int strings, string version)
        {
            while (true)
            {
                int auxCount = U16(elf, need + 2);
                int aux = need + (int)U32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    if (CString(elf, strings + (int)U32(elf, aux + 8)) == version)
                    {
                        ushort flags = (ushort)U16(elf, aux + 4);
                        if ((flags & VerFlagWeak) != 0) return PatchOutcome.AlreadyWeak;
                        flags |= VerFlagWeak;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        return PatchOutcome.Patched;
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                uint next = U32(elf, need + 12);
                if (next == 0) return PatchOutcome.NotRequired;
                need += (int)next;
            }
        }

        static int U16(byte[] b, int at) => b[at] | b[at + 1] << 8;
        static uint U32(byte[] b, int at) => BitConverter.ToUInt32(b, at);
        static ulong U64(byte[] b, int at) => BitConverter.ToUInt64(b, at);

        static string CString(byte[] b, int at)
        {
            int end = at;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, at, end - at);
        }
    }
}
