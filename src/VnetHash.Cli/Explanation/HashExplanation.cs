using VnetHash.Hashing;
using VnetHash.Packets;

namespace VnetHash.Cli.Explanation;

/// <summary>One header the walk passed: where it lies in the frame and what it says.</summary>
internal sealed record WalkedHeader(int Offset, int Length, string Name, string Detail);

/// <summary>One hash type the rules considered, in the specification's order of precedence.</summary>
/// <param name="Type">The type.</param>
/// <param name="Applies">Whether the packet qualifies for it (its transport, extension headers, fragment state).</param>
/// <param name="Enabled">Whether the configuration enables it under its profile.</param>
/// <param name="Note">Why it applies or not, or why it is off.</param>
internal sealed record TypeCheck(HashReport Type, bool Applies, bool Enabled, string Note);

/// <summary>Everything <c>hash --explain</c> says about one frame.</summary>
internal sealed class HashExplanation
{
    public required FrameKind Kind { get; init; }

    public required int FrameLength { get; init; }

    public required HashProfile Profile { get; init; }

    public required IReadOnlyList<WalkedHeader> Headers { get; init; }

    public required PacketInfo Info { get; init; }

    public required IReadOnlyList<TypeCheck> Types { get; init; }

    public required HashResult Hash { get; init; }

    /// <summary>Why the frame got <see cref="Hash"/>'s type, in one sentence.</summary>
    public required string Reason { get; init; }

    /// <summary>The exact Toeplitz input; empty when no hash was computed.</summary>
    public required byte[] Input { get; init; }

    /// <summary>The addresses and ports the input was taken from, in words; null without a hash.</summary>
    public required string? Tuple { get; init; }

    /// <summary>The queue choice, when a queue count was given.</summary>
    public required QueueChoice? Queue { get; init; }
}

/// <summary>How the queue was chosen: table index and entry for a hashed packet, the unclassified queue otherwise.</summary>
/// <param name="Queues">The queue count.</param>
/// <param name="TableIndex">hash &amp; mask; null for an unclassified packet.</param>
/// <param name="Entry">The table entry at the index, or the unclassified queue.</param>
/// <param name="Queue">The queue: the entry, modulo the queue count when it is larger.</param>
internal sealed record QueueChoice(int Queues, int? TableIndex, int Entry, int Queue);
