using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Fuzz;

/// <summary>
/// How the frame targets read their input: 3 bytes choose the rules, the rest is the frame. Byte 0: bit 0 the frame
/// kind (Ethernet or IP), bit 1 the profile, bits 2-3 the symmetric mode, bit 4 the key, bit 5 inner-header hashing
/// of every encapsulation type (the virtio-spec profile only; with linux-tun it is ignored); bytes 1-2 the enabled
/// hash types (9 bits, little-endian).
/// </summary>
internal readonly record struct FrameSetup(FrameKind Kind, HashProfile Profile, SymmetricMode Symmetric, HashTypes Types, bool OtherKey, bool Tunnels = false)
{
    public const int Length = 3;

    /// <summary>Queues the steering spreads over: fewer than the table names, so entries wrap as in the kernel.</summary>
    public const int Queues = 6;

    // Every 16-bit window of this key equals the next (the tool's "symmetric" preset): other windows than Microsoft's.
    private static readonly byte[] SecondKey = [.. Enumerable.Range(0, 40).Select(i => (byte)(i % 2 == 0 ? 0x6d : 0x5a))];

    private static readonly ushort[] Table = [.. Enumerable.Range(0, 128).Select(i => (ushort)((i * 7) % 16))];

    // Every setup is prepared before the first input: preparing one on first use would make the same input take
    // other paths the first time than the next, which AFL++ counts as instability.
    private static readonly Dictionary<FrameSetup, RssSteering> Steerings = PrepareAll();

    public static FrameSetup Read(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> frame)
    {
        Span<byte> setup = stackalloc byte[Length];
        setup.Clear();
        input[..Math.Min(Length, input.Length)].CopyTo(setup);
        frame = input[Math.Min(Length, input.Length)..];
        int symmetric = (setup[0] >> 2) & 3;
        return new FrameSetup(
            (setup[0] & 1) == 0 ? FrameKind.Ethernet : FrameKind.IP,
            (setup[0] & 2) == 0 ? HashProfile.VirtioSpec : HashProfile.LinuxTun,
            symmetric == 3 ? SymmetricMode.None : (SymmetricMode)symmetric,
            (HashTypes)((setup[1] | (setup[2] << 8)) & (int)HashTypes.All),
            (setup[0] & 16) != 0,
            (setup[0] & 32) != 0 && (setup[0] & 2) == 0);
    }

    /// <summary>The 3 bytes that choose this setup, for seeds.</summary>
    public byte[] Prefix(ReadOnlySpan<byte> frame) =>
        [(byte)((Kind == FrameKind.IP ? 1 : 0) | (Profile == HashProfile.LinuxTun ? 2 : 0) | ((int)Symmetric << 2) | (OtherKey ? 16 : 0) | (Tunnels ? 32 : 0)),
         (byte)Types, (byte)((uint)Types >> 8), .. frame];

    public TunnelTypes TunnelTypes => Tunnels ? TunnelTypes.All : TunnelTypes.None;

    public ReadOnlySpan<byte> Key => OtherKey ? SecondKey : ToeplitzKey.MicrosoftKey;

    /// <summary>The steering for this setup, prepared once per process.</summary>
    public RssSteering Steering() => Steerings[this];

    private static Dictionary<FrameSetup, RssSteering> PrepareAll()
    {
        var all = new Dictionary<FrameSetup, RssSteering>();
        for (int mode = 0; mode < 64; mode++)
        {
            for (int types = 0; types <= (int)HashTypes.All; types++)
            {
                FrameSetup setup = Read([(byte)mode, (byte)types, (byte)(types >> 8)], out _);
                if (!all.ContainsKey(setup))
                {
                    all.Add(setup, new RssSteering(RssConfiguration.Create(setup.Types, setup.Key, Table, unclassifiedQueue: 9, setup.Profile, setup.Symmetric, setup.TunnelTypes)));
                }
            }
        }

        return all;
    }
}
