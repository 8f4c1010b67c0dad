/// accsim's golden-model traces: record types, their versioned binary encoding in gzip-framed,
/// CRC-checked chunks (Traces/FORMAT.md), a writer that compresses off the caller's thread, a
/// reader that recovers every complete chunk of a damaged file, and the tools built on them —
/// text dump, statistics, diff, VCD waveforms and `$readmemh` memory images.
///
/// This module knows nothing of the simulator: the recorder that turns a run into records lives
/// in AccsimTracing.
public enum AccsimTraceModule {}
