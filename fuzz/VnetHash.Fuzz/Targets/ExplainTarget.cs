using VnetHash.Cli.Explanation;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;

namespace VnetHash.Fuzz.Targets;

/// <summary>
/// <c>hash --explain</c> on any frame: the explanation's hash is the hasher's, its input bytes hash to that value under
/// the bitwise reference, every header it shows lies inside the frame, its reason is there, and its queue choice
/// follows from the table. Input as for the frame target (<see cref="FrameSetup"/>).
/// </summary>
internal sealed class ExplainTarget : IFuzzTarget
{
    public string Name => "explain";

    public void Run(ReadOnlySpan<byte> input)
    {
        FrameSetup setup = FrameSetup.Read(input, out ReadOnlySpan<byte> frame);
        RssSteering steering = setup.Steering();
        HashExplanation explanation = HashExplainer.Explain(steering, frame, setup.Kind, FrameSetup.Queues);

        HashResult hash = steering.Hasher.Hash(frame, setup.Kind);
        Check.Equal(hash, explanation.Hash, "the explained hash");
        Check.Equal(HashInput.Length(hash.Report), explanation.Input.Length, "the explained input's length");
        Check.Equal(hash.Value, hash.HasHash ? ToeplitzReference.Hash(setup.Key, explanation.Input) : 0u, "the reference hash of the explained input");
        Check.That(explanation.Reason.Length > 0 && (explanation.Tuple is not null) == hash.HasHash, "a reason or a tuple is missing");
        foreach (WalkedHeader header in explanation.Headers)
        {
            Check.That(header.Offset >= 0 && header.Length >= 0 && header.Offset + header.Length <= frame.Length,
                $"the {header.Name} header at {header.Offset} ({header.Length} bytes) outside a {frame.Length}-byte frame");
        }

        QueueChoice? queue = explanation.Queue;
        Check.That(queue is not null && queue.Queue == steering.SelectQueue(hash, FrameSetup.Queues) && queue.Entry % FrameSetup.Queues == queue.Queue
            && (queue.TableIndex is null) == !hash.HasHash, $"the queue choice {queue}");
        foreach (TypeCheck type in explanation.Types)
        {
            Check.That(type.Note.Length > 0 && (!type.Applies || !type.Enabled || type.Type == hash.Report || Before(type.Type, hash.Report, explanation.Types)),
                $"{type.Type} applies and is enabled, but {hash.Report} was chosen");
        }
    }

    // A type that applies and is enabled may stand after the chosen one in the order of precedence, never before it.
    private static bool Before(HashReport type, HashReport chosen, IReadOnlyList<TypeCheck> order) =>
        order.ToList().FindIndex(t => t.Type == chosen) is int c && c >= 0 && order.ToList().FindIndex(t => t.Type == type) > c;

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        foreach ((string name, byte[] frame, bool ip) in SeedFrames.All())
        {
            var setup = new FrameSetup(ip ? FrameKind.IP : FrameKind.Ethernet, HashProfile.VirtioSpec, SymmetricMode.None, HashTypes.All, false);
            yield return (name, setup.Prefix(frame));
        }

        yield return ("linux-tun-gre", new FrameSetup(FrameKind.Ethernet, HashProfile.LinuxTun, SymmetricMode.Xor, HashTypes.AllNonEx, true)
            .Prefix(SeedFrames.All().First(f => f.Name == "gre-ipv4-tcp").Frame));
    }
}
