namespace VnetHash.Cli.Analysis;

/// <summary>A capture that could not be read to its end: where and why, and how much of it was read.</summary>
/// <param name="Capture">How the capture is named (its path, "standard input").</param>
/// <param name="Offset">The byte offset of the record or block at fault.</param>
/// <param name="Reason">What is wrong there.</param>
/// <param name="CutShort">The file ends inside a record; otherwise its contents are damaged.</param>
/// <param name="Compressed">The capture is gzip-compressed, so the offset counts decompressed bytes.</param>
/// <param name="PacketsRead">Packets read from this capture before the problem.</param>
/// <param name="Opened">The file began as a capture; otherwise it is not one this tool reads.</param>
internal sealed record CaptureProblem(string Capture, long Offset, string Reason, bool CutShort, bool Compressed, long PacketsRead, bool Opened)
{
    /// <summary>One sentence for standard error, naming the file and the offset.</summary>
    public string Message
    {
        get
        {
            string where = Compressed ? $"at byte offset {Offset} of its decompressed data" : $"at byte offset {Offset}";
            if (!Opened)
            {
                return $"capture '{Capture}' cannot be read: {where}: {Reason}";
            }

            string what = CutShort ? "is cut short" : "is damaged";
            string results = PacketsRead == 1 ? "the 1 packet before it is counted" : $"the {PacketsRead} packets before it are counted";
            return $"capture '{Capture}' {what} {where}: {Reason}; reading stopped there, {results}";
        }
    }
}
