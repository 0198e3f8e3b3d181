using System.Runtime.InteropServices;
using VnetHash.Rss;

namespace VnetHash.Tap.Steering;

/// <summary>A loaded steering program: its fd for <c>TUNSETSTEERINGEBPF</c> and an atomic configuration update.</summary>
internal interface ISteeringProgram : IDisposable
{
    /// <summary>The program fd.</summary>
    SafeHandle ProgramHandle { get; }

    /// <summary>Replaces the configuration atomically.</summary>
    void Update(RssConfiguration configuration);
}
