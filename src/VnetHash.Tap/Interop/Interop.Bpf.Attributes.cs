using System.Runtime.InteropServices;

internal static partial class Interop
{
    internal static unsafe partial class Bpf
    {
        /// <summary>The <c>BPF_MAP_CREATE</c> part of <c>union bpf_attr</c>.</summary>
        [StructLayout(LayoutKind.Explicit, Size = AttributeSize)]
        internal struct MapCreateAttributes
        {
            [FieldOffset(0)] public uint MapType;
            [FieldOffset(4)] public uint KeySize;
            [FieldOffset(8)] public uint ValueSize;
            [FieldOffset(12)] public uint MaxEntries;
            [FieldOffset(16)] public uint MapFlags;
            [FieldOffset(20)] public int InnerMapFd;
            [FieldOffset(28)] public fixed byte MapName[16];
        }

        /// <summary>The <c>BPF_MAP_*_ELEM</c> part of <c>union bpf_attr</c>.</summary>
        [StructLayout(LayoutKind.Explicit, Size = AttributeSize)]
        internal struct MapElementAttributes
        {
            [FieldOffset(0)] public int MapFd;
            [FieldOffset(8)] public ulong Key;
            [FieldOffset(16)] public ulong Value;
            [FieldOffset(24)] public ulong Flags;
        }

        /// <summary>The <c>BPF_PROG_LOAD</c> part of <c>union bpf_attr</c>.</summary>
        [StructLayout(LayoutKind.Explicit, Size = AttributeSize)]
        internal struct ProgramLoadAttributes
        {
            [FieldOffset(0)] public uint ProgramType;
            [FieldOffset(4)] public uint InstructionCount;
            [FieldOffset(8)] public ulong Instructions;
            [FieldOffset(16)] public ulong License;
            [FieldOffset(24)] public uint LogLevel;
            [FieldOffset(28)] public uint LogSize;
            [FieldOffset(32)] public ulong LogBuffer;
            [FieldOffset(48)] public fixed byte ProgramName[16];
        }

        /// <summary>The <c>BPF_PROG_TEST_RUN</c> part of <c>union bpf_attr</c>.</summary>
        [StructLayout(LayoutKind.Explicit, Size = AttributeSize)]
        internal struct TestRunAttributes
        {
            [FieldOffset(0)] public int ProgramFd;
            [FieldOffset(4)] public uint ReturnValue;
            [FieldOffset(8)] public uint DataSizeIn;
            [FieldOffset(12)] public uint DataSizeOut;
            [FieldOffset(16)] public ulong DataIn;
            [FieldOffset(24)] public ulong DataOut;
            [FieldOffset(32)] public uint Repeat;
            [FieldOffset(36)] public uint Duration;
        }

        /// <summary>The <c>BPF_PROG_GET_FD_BY_ID</c> part of <c>union bpf_attr</c>.</summary>
        [StructLayout(LayoutKind.Explicit, Size = AttributeSize)]
        internal struct GetFdByIdAttributes
        {
            [FieldOffset(0)] public uint Id;
            [FieldOffset(8)] public uint OpenFlags;
        }

        /// <summary>The <c>BPF_OBJ_GET_INFO_BY_FD</c> part of <c>union bpf_attr</c>.</summary>
        [StructLayout(LayoutKind.Explicit, Size = AttributeSize)]
        internal struct ObjectInfoAttributes
        {
            [FieldOffset(0)] public int Fd;
            [FieldOffset(4)] public uint InfoLength;
            [FieldOffset(8)] public ulong Info;
        }

        /// <summary>The prefix of <c>struct bpf_prog_info</c> up to <c>verified_insns</c> (Linux 5.16).</summary>
        [StructLayout(LayoutKind.Explicit, Size = ProgramInfoSize)]
        internal struct ProgramInfo
        {
            internal const int ProgramInfoSize = 232;

            [FieldOffset(0)] public uint Type;
            [FieldOffset(4)] public uint Id;
            [FieldOffset(8)] public fixed byte Tag[8];
            [FieldOffset(16)] public uint JitedLength;
            [FieldOffset(20)] public uint TranslatedLength;
            [FieldOffset(64)] public fixed byte Name[16];
            [FieldOffset(192)] public ulong RunTimeNanoseconds;
            [FieldOffset(200)] public ulong RunCount;
            [FieldOffset(216)] public uint VerifiedInstructions;
        }
    }
}
