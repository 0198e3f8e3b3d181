namespace VnetHash.Fuzz;

/// <summary>
/// One fuzz target: code that reads untrusted bytes, driven with any input. It returns when the code gave a right
/// answer, a documented error for bad input included; a wrong answer is a <see cref="FuzzFindingException"/>, and any
/// other exception that escapes is a finding too. Every implementation in this assembly is found by
/// <see cref="FuzzTargets"/>, so a new target is one new file.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name fuzz/run and the corpus folder use (fuzz/corpus/NAME).</summary>
    string Name { get; }

    /// <summary>Runs the code under test on <paramref name="input"/> and checks its answer.</summary>
    void Run(ReadOnlySpan<byte> input);

    /// <summary>Small, meaningful inputs the committed corpus is made of (written by <c>VnetHash.Fuzz seeds</c>).</summary>
    IEnumerable<(string Name, byte[] Bytes)> Seeds();
}
