using VnetHash.Tap.Steering;

namespace VnetHash.Tap.Probing;

/// <summary>What a throwaway transient tap answered.</summary>
/// <param name="KernelFeatures">The <c>IFF_*</c> bits of <c>TUNGETFEATURES</c>.</param>
/// <param name="Hash">The series' hashing ioctls: generation, types and flags.</param>
/// <param name="SteeringProgramUsable">Whether the steering program loaded (bpf(2) permitted) and <c>TUNSETSTEERINGEBPF</c> accepted it.</param>
/// <param name="SteeringProgramDetail">What happened when trying, in words.</param>
/// <param name="Auto">What <see cref="SteeringBackendKind.Auto"/> takes on a multi-queue device of this host, and why.</param>
public sealed record TunDeviceProbe(int KernelFeatures, KernelHashSupport Hash, bool SteeringProgramUsable, string SteeringProgramDetail, SteeringSelection Auto);
