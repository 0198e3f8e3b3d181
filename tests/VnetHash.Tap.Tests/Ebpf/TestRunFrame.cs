namespace VnetHash.Tap.Tests.Ebpf;

/// <summary>
/// Frames for <c>BPF_PROG_TEST_RUN</c>. For a socket filter the kernel runs <c>eth_type_trans</c> on the data,
/// which consumes the first 14 bytes; a TAP's steering program instead sees the frame from its Ethernet header.
/// A 14-byte dummy header in front makes the program see exactly the frame it would see on the TAP.
/// </summary>
internal static class TestRunFrame
{
    private const int ConsumedHeader = 14;

    internal static byte[] Wrap(ReadOnlySpan<byte> frame)
    {
        byte[] data = new byte[ConsumedHeader + frame.Length];
        data[0] = 0x02;
        data[6] = 0x02;
        data[12] = 0x88;
        data[13] = 0xb5; // IEEE local experimental EtherType: nothing in the kernel reacts to it
        frame.CopyTo(data.AsSpan(ConsumedHeader));
        return data;
    }
}
