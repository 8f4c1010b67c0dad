// The libFuzzer binary: ACCSIM_FUZZ_TARGET (q, tflite, onnx, trace, hardware, scalesim-cfg,
// scalesim-csv, npy, sweep) picks the reader. Built with -sanitize=fuzzer,address (Fuzz/run.sh);
// libFuzzer's driver is started from this main (SwiftPM names the executable's entry point).
import AccsimFuzzTargets
import Foundation

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

let name = ProcessInfo.processInfo.environment["ACCSIM_FUZZ_TARGET"] ?? ""
guard let selected = FuzzTarget(rawValue: name) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("set ACCSIM_FUZZ_TARGET to one of: \(names)\n".utf8))
    exit(2)
}
nonisolated(unsafe) var target = selected

/// The entry libFuzzer calls with each input (also when its own `main` is the one linked).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    target.runIgnoringErrors(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(
    runFuzzerDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
