using System.Runtime.InteropServices;

namespace VnetHash.Benchmarks.Peer;

/// <summary>
/// The C measuring sticks of <c>toeplitz_peer.c</c> (per-byte tables; DPDK's GFNI method), built with
/// <c>gcc -O3 -march=native</c> next to this program when it is built. Each call hashes a whole pass of packed tuples,
/// so the call costs nothing per hash and the C code keeps its constants in registers across the pass.
/// </summary>
internal static unsafe partial class CPeer
{
    private const string Library = "vnethashpeer";

    /// <summary>Null when the library is there, else why not.</summary>
    public static string? Missing { get; } = File.Exists(Path.Combine(AppContext.BaseDirectory, $"lib{Library}.so"))
        ? null
        : $"lib{Library}.so was not built (the build compiles Peer/toeplitz_peer.c with gcc when gcc is installed)";

    /// <summary>Whether this CPU runs the C GFNI method (GFNI, AVX-512BW, AVX-512 VBMI).</summary>
    public static bool HasGfni => Missing is null && GfniSupported() != 0;

    /// <summary>The compiler command line the library was built with.</summary>
    public const string BuildCommand = "gcc -O3 -march=native -shared -fPIC";

    /// <summary>Prepares the tables and matrices of <paramref name="key"/>.</summary>
    public static void Prepare(ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            if (PeerPrepare(k, key.Length) < 0)
            {
                throw new ArgumentException($"The C peer takes keys of 5 to 64 bytes, not {key.Length}.", nameof(key));
            }
        }
    }

    public static uint TableHash(ReadOnlySpan<byte> tuple)
    {
        fixed (byte* t = tuple)
        {
            return PeerTableHash(t, tuple.Length);
        }
    }

    public static uint GfniHash(ReadOnlySpan<byte> tuple)
    {
        fixed (byte* t = tuple)
        {
            return PeerGfniHash(t, tuple.Length);
        }
    }

    /// <summary>XOR of the table hashes of the tuples of <paramref name="length"/> bytes packed in <paramref name="packed"/>.</summary>
    public static uint TableEach(byte[] packed, int length)
    {
        fixed (byte* p = packed)
        {
            return PeerTableEach(p, length, packed.Length / length);
        }
    }

    /// <summary>XOR of the GFNI hashes of the packed tuples, one call of the inlined hash per tuple.</summary>
    public static uint GfniEach(byte[] packed, int length)
    {
        fixed (byte* p = packed)
        {
            return PeerGfniEach(p, length, packed.Length / length);
        }
    }

    [LibraryImport(Library, EntryPoint = "vh_peer_prepare")]
    private static partial int PeerPrepare(byte* key, int keyLength);

    [LibraryImport(Library, EntryPoint = "vh_peer_gfni_supported")]
    private static partial int GfniSupported();

    [LibraryImport(Library, EntryPoint = "vh_peer_table_hash")]
    [SuppressGCTransition]
    private static partial uint PeerTableHash(byte* tuple, int length);

    [LibraryImport(Library, EntryPoint = "vh_peer_gfni_hash")]
    [SuppressGCTransition]
    private static partial uint PeerGfniHash(byte* tuple, int length);

    [LibraryImport(Library, EntryPoint = "vh_peer_table_each")]
    [SuppressGCTransition]
    private static partial uint PeerTableEach(byte* packed, int length, int count);

    [LibraryImport(Library, EntryPoint = "vh_peer_gfni_each")]
    [SuppressGCTransition]
    private static partial uint PeerGfniEach(byte* packed, int length, int count);
}
