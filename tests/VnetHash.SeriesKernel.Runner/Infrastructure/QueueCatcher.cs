using VnetHash.Tap.Handles;

namespace VnetHash.SeriesKernel.Runner.Infrastructure;

/// <summary>A frame found on a queue: the queue index, the vnet header the kernel wrote, and the frame after it.</summary>
internal readonly record struct CaughtFrame(int Queue, byte[] Header, byte[] Frame);

/// <summary>
/// Finds one sent frame on whichever queue fd it arrived: reads every queue without blocking, then polls them all
/// until the frame appears or the deadline passes. Frames that are not the one sought are counted as strays.
/// </summary>
internal sealed unsafe class QueueCatcher(IReadOnlyList<FileDescriptorHandle> queues, int headerSize)
{
    private readonly byte[] _buffer = new byte[70_000];

    /// <summary>Frames read that were not the frame sought (none is expected: nothing else sends on these links).</summary>
    public int Strays { get; private set; }

    public CaughtFrame? Catch(ReadOnlySpan<byte> expected, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            for (int queue = 0; queue < queues.Count; queue++)
            {
                while (TryRead(queues[queue], out int length))
                {
                    ReadOnlySpan<byte> frame = _buffer.AsSpan(headerSize, Math.Max(0, length - headerSize));
                    if (length >= headerSize && frame.SequenceEqual(expected))
                    {
                        return new CaughtFrame(queue, _buffer[..headerSize], frame.ToArray());
                    }

                    Strays++;
                }
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return null;
            }

            Wait((int)Math.Min(left, 50));
        }
    }

    /// <summary>Reads and drops whatever waits on the queues; returns how many frames there were.</summary>
    public int Drain()
    {
        int drained = 0;
        foreach (FileDescriptorHandle queue in queues)
        {
            while (TryRead(queue, out _))
            {
                drained++;
            }
        }

        return drained;
    }

    private bool TryRead(FileDescriptorHandle queue, out int length)
    {
        fixed (byte* pointer = _buffer)
        {
            nint read = Native.Read(queue.DangerousGetFd(), pointer, (nuint)_buffer.Length);
            length = (int)Math.Max(read, 0);
            return read >= 0;
        }
    }

    private void Wait(int milliseconds)
    {
        Native.PollFd* fds = stackalloc Native.PollFd[queues.Count];
        for (int i = 0; i < queues.Count; i++)
        {
            fds[i] = new Native.PollFd { Fd = queues[i].DangerousGetFd(), Events = Native.POLLIN };
        }

        _ = Native.Poll(fds, (nuint)queues.Count, milliseconds);
    }
}
