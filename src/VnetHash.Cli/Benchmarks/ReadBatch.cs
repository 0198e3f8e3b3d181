using VnetHash.VirtioNet;

namespace VnetHash.Cli.Benchmarks;

/// <summary>
/// Frames of one length laid out as a TAP reader's batch holds them: each packet is its 20-byte
/// <c>virtio_net_hdr_v1_hash</c> followed by its frame, and each packet starts at the next 8-byte boundary after the
/// one before, as the poll reader packs its slab. A timed decision writes the header beside its own frame, as a reader
/// does.
/// </summary>
/// <remarks>
/// A loop that writes every frame's header into one buffer puts all its stores at one page offset. Where a field that
/// every decision loads lies at that offset in another page, the loads wait on the stores (4K aliasing), and on Zen 5
/// the whole loop then ran about 1.5 times slower, in some processes and not others (docs/performance.md, "The header
/// beside its frame"). With the header beside its frame, the stores move through the page, and a collision slows a
/// few packets of a batch rather than all of them.
/// </remarks>
internal sealed class ReadBatch
{
    /// <summary>The header in front of each frame: <c>virtio_net_hdr_v1_hash</c>.</summary>
    internal const int HeaderSize = VirtioNetHeader.HashSize;

    /// <summary>Lays <paramref name="frames"/>, all of one length, one after another behind room for their headers.</summary>
    /// <exception cref="ArgumentException">The frames differ in length, or there are none.</exception>
    internal ReadBatch(IReadOnlyList<byte[]> frames)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one frame", nameof(frames));
        }

        FrameLength = frames[0].Length;
        // The poll reader's step through its slab (PollReader.Read), written again here: the tool reaches the TAP
        // layer through its public API only.
        Stride = (HeaderSize + FrameLength + 7) & ~7;
        Count = frames.Count;
        Packets = new byte[Count * Stride];
        for (int i = 0; i < Count; i++)
        {
            if (frames[i].Length != FrameLength)
            {
                throw new ArgumentException($"frame {i} has {frames[i].Length} bytes, frame 0 {FrameLength}: a timed loop steps by one length", nameof(frames));
            }

            frames[i].CopyTo(Packets, (i * Stride) + HeaderSize);
        }
    }

    /// <summary>The packets, each header first, <see cref="Stride"/> bytes apart from the start of the array.</summary>
    internal byte[] Packets { get; }

    internal int Count { get; }

    internal int FrameLength { get; }

    /// <summary>Bytes from one packet's header to the next one's.</summary>
    internal int Stride { get; }

    internal ReadOnlySpan<byte> Frame(int index) => Packets.AsSpan((index * Stride) + HeaderSize, FrameLength);

    internal Span<byte> Header(int index) => Packets.AsSpan(index * Stride, HeaderSize);
}
