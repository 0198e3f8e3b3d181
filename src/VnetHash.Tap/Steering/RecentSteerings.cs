using VnetHash.Rss;

namespace VnetHash.Tap.Steering;

/// <summary>
/// The configuration in force and the few before it, newest first, swapped whole on each change. When the kernel
/// chose the queue, a frame read after a change may have been steered by an earlier configuration (it waited in a
/// queue meanwhile); checking it against these finds the one that steered it, so its queue and its hash report
/// always come from one configuration.
/// </summary>
internal sealed class RecentSteerings(RssSteering current)
{
    /// <summary>How many configurations are kept: frames steered by older ones are no longer recognised and are dropped as misrouted.</summary>
    internal const int Depth = 4;

    private RssSteering[] _steerings = [current];

    /// <summary>Newest first; the array is never changed once published.</summary>
    internal RssSteering[] All => Volatile.Read(ref _steerings);

    internal RssSteering Current => All[0];

    /// <summary>Makes <paramref name="steering"/> the one in force, keeping the previous ones; returns the set before, for <see cref="Restore"/>.</summary>
    internal RssSteering[] Push(RssSteering steering)
    {
        RssSteering[] old = All;
        var next = new RssSteering[Math.Min(Depth, old.Length + 1)];
        next[0] = steering;
        Array.Copy(old, 0, next, 1, next.Length - 1);
        Volatile.Write(ref _steerings, next);
        return old;
    }

    /// <summary>Puts back the set <see cref="Push"/> replaced, when the kernel refused the new configuration.</summary>
    internal void Restore(RssSteering[] steerings) => Volatile.Write(ref _steerings, steerings);
}
