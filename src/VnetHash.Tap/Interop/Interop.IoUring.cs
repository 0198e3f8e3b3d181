using System.Runtime.InteropServices;

internal static partial class Interop
{
    /// <summary>
    /// io_uring(7) through its three system calls (no liburing): the structures of <c>linux/io_uring.h</c> this layer
    /// fills, and the constants it uses. Multishot reads into a provided-buffer ring need Linux 6.7.
    /// </summary>
    internal static unsafe class IoUring
    {
        internal const uint SetupCqSize = 1u << 3;
        internal const uint SetupSubmitAll = 1u << 7;
        internal const uint SetupCoopTaskRun = 1u << 8;
        internal const uint SetupSingleIssuer = 1u << 12;
        internal const uint SetupDeferTaskRun = 1u << 13;

        internal const uint FeatureSingleMmap = 1u << 0;

        internal const uint EnterGetEvents = 1u << 0;

        internal const long OffsetSqRing = 0;
        internal const long OffsetCqRing = 0x8000000;
        internal const long OffsetSqes = 0x10000000;

        internal const byte OpPollAdd = 6;
        internal const byte OpAsyncCancel = 14;
        internal const byte OpReadMultishot = 49;

        /// <summary><c>IOSQE_BUFFER_SELECT</c>: take the buffer from the provided-buffer group.</summary>
        internal const byte SqeBufferSelect = 1 << 5;

        internal const uint CqeBuffer = 1u << 0;
        internal const uint CqeMore = 1u << 1;
        internal const int CqeBufferShift = 16;

        internal const uint RegisterProbe = 8;
        internal const uint RegisterPbufRing = 22;
        internal const uint UnregisterPbufRing = 23;

        internal const uint AsyncCancelAll = 1u << 0;
        internal const uint AsyncCancelAny = 1u << 2;

        /// <summary><c>IO_URING_OP_SUPPORTED</c> in a probe entry's flags.</summary>
        internal const ushort OpSupported = 1;

        /// <summary><c>struct io_sqring_offsets</c> (40 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct SqRingOffsets
        {
            internal uint Head;
            internal uint Tail;
            internal uint RingMask;
            internal uint RingEntries;
            internal uint Flags;
            internal uint Dropped;
            internal uint Array;
            internal uint Reserved;
            internal ulong UserAddress;
        }

        /// <summary><c>struct io_cqring_offsets</c> (40 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct CqRingOffsets
        {
            internal uint Head;
            internal uint Tail;
            internal uint RingMask;
            internal uint RingEntries;
            internal uint Overflow;
            internal uint Cqes;
            internal uint Flags;
            internal uint Reserved;
            internal ulong UserAddress;
        }

        /// <summary><c>struct io_uring_params</c> (120 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Parameters
        {
            internal uint SqEntries;
            internal uint CqEntries;
            internal uint Flags;
            internal uint SqThreadCpu;
            internal uint SqThreadIdle;
            internal uint Features;
            internal uint WqFd;
            internal fixed uint Reserved[3];
            internal SqRingOffsets SqOffsets;
            internal CqRingOffsets CqOffsets;
        }

        /// <summary><c>struct io_uring_sqe</c> (64 bytes), the fields of the operations used here.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 64)]
        internal struct Sqe
        {
            [FieldOffset(0)] internal byte Opcode;
            [FieldOffset(1)] internal byte Flags;
            [FieldOffset(4)] internal int Fd;
            [FieldOffset(8)] internal ulong Offset;
            [FieldOffset(16)] internal ulong Address;
            [FieldOffset(24)] internal uint Length;
            /// <summary><c>rw_flags</c>, <c>poll32_events</c> or <c>cancel_flags</c>, by operation.</summary>
            [FieldOffset(28)] internal uint OperationFlags;
            [FieldOffset(32)] internal ulong UserData;
            [FieldOffset(40)] internal ushort BufferGroup;
        }

        /// <summary><c>struct io_uring_cqe</c> (16 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Cqe
        {
            internal ulong UserData;
            internal int Result;
            internal uint Flags;
        }

        /// <summary><c>struct io_uring_buf</c> (16 bytes); the reserved field of entry 0 is the ring's tail.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Buffer
        {
            internal ulong Address;
            internal uint Length;
            internal ushort Id;
            internal ushort Reserved;
        }

        /// <summary><c>struct io_uring_buf_reg</c> (40 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct BufferRegistration
        {
            internal ulong RingAddress;
            internal uint RingEntries;
            internal ushort GroupId;
            internal ushort Flags;
            internal fixed ulong Reserved[3];
        }

        /// <summary><c>struct io_uring_probe</c> (16 bytes) followed by <see cref="ProbeOp"/> entries.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Probe
        {
            internal byte LastOp;
            internal byte OpsLength;
            internal ushort Reserved;
            internal fixed uint Reserved2[3];
        }

        /// <summary><c>struct io_uring_probe_op</c> (8 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct ProbeOp
        {
            internal byte Op;
            internal byte Reserved;
            internal ushort Flags;
            internal uint Reserved2;
        }

        /// <summary>io_uring_setup(2): the new instance's fd, or -1 and errno.</summary>
        /// <exception cref="PlatformNotSupportedException">The call is not mapped for this architecture.</exception>
        internal static int Setup(uint entries, Parameters* parameters) =>
            (int)Sys.SystemCall(Number(SystemCallNumbers.IoUringSetup, "io_uring_setup"), (nint)entries, (nint)parameters, 0, 0, 0, 0);

        /// <summary>io_uring_enter(2) without a signal mask: submitted count, or -1 and errno.</summary>
        internal static int Enter(int fd, uint toSubmit, uint minComplete, uint flags) =>
            (int)Sys.SystemCall(Number(SystemCallNumbers.IoUringEnter, "io_uring_enter"), fd, (nint)toSubmit, (nint)minComplete, (nint)flags, 0, 0);

        /// <summary>io_uring_register(2): 0 (or a count), or -1 and errno.</summary>
        internal static int Register(int fd, uint opcode, void* argument, uint count) =>
            (int)Sys.SystemCall(Number(SystemCallNumbers.IoUringRegister, "io_uring_register"), fd, (nint)opcode, (nint)argument, (nint)count, 0, 0);

        private static nint Number(nint? number, string call) =>
            number ?? throw new PlatformNotSupportedException(SystemCallNumbers.NotMapped(call));
    }
}
