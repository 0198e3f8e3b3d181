namespace VnetHash.Tap.Probing;

/// <summary>Whether <c>/dev/net/tun</c> can be used.</summary>
/// <param name="Exists">The node exists.</param>
/// <param name="Opens">It opened read-write.</param>
/// <param name="Detail">The reason when it does not (errno and meaning), or "ok".</param>
public sealed record TunDeviceAccess(bool Exists, bool Opens, string Detail);
