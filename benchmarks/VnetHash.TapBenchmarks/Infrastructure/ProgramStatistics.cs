using System.Buffers.Binary;
using System.Text;

namespace VnetHash.TapBenchmarks.Infrastructure;

/// <summary>
/// The fields of <c>struct bpf_prog_info</c> the measurements use. <c>run_time_ns</c> and <c>run_cnt</c> only
/// grow while <c>kernel.bpf_stats_enabled</c> is 1.
/// </summary>
internal readonly record struct ProgramStatistics(
    uint Id,
    string Name,
    uint JitedLength,
    uint TranslatedLength,
    ulong RunTimeNanoseconds,
    ulong RunCount,
    uint VerifiedInstructions)
{
    // Offsets in struct bpf_prog_info (include/uapi/linux/bpf.h).
    private const int InfoLength = 232;
    private const int IdOffset = 4;
    private const int JitedLengthOffset = 16;
    private const int TranslatedLengthOffset = 20;
    private const int NameOffset = 64;
    private const int RunTimeOffset = 192;
    private const int RunCountOffset = 200;
    private const int VerifiedInstructionsOffset = 216;

    public static ProgramStatistics Read(int fd)
    {
        Span<byte> info = stackalloc byte[InfoLength];
        Native.GetProgramInfo(fd, info);
        ReadOnlySpan<byte> name = info.Slice(NameOffset, 16);
        int end = name.IndexOf((byte)0);
        return new ProgramStatistics(
            BinaryPrimitives.ReadUInt32LittleEndian(info[IdOffset..]),
            Encoding.ASCII.GetString(end < 0 ? name : name[..end]),
            BinaryPrimitives.ReadUInt32LittleEndian(info[JitedLengthOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(info[TranslatedLengthOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(info[RunTimeOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(info[RunCountOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(info[VerifiedInstructionsOffset..]));
    }
}
