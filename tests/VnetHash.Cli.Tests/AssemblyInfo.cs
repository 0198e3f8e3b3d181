using System.Runtime.Versioning;

// The tool is tested as Linux users run it: installed, in network namespaces, with Unix file modes.
[assembly: SupportedOSPlatform("linux")]
