using Xunit;

// Real-kernel tests count this process's fds and time wake-ups; running them one at a time keeps those checks exact.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
