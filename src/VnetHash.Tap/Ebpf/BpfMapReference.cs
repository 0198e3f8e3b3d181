namespace VnetHash.Tap.Ebpf;

/// <summary>An <c>ld_imm64</c> instruction that must be patched with the fd of the named map before loading.</summary>
/// <param name="InstructionIndex">Index of the first 8-byte slot of the <c>ld_imm64</c>.</param>
/// <param name="MapName">The map the instruction refers to.</param>
internal readonly record struct BpfMapReference(int InstructionIndex, string MapName);
