// swift-tools-version: 6.1
// libFuzzer targets for accsim's readers: build and run with Fuzz/run.sh (the fuzzer build
// needs -sanitize=fuzzer,address, which the main package's executables cannot take).

import PackageDescription

let package = Package(
    name: "accsim-fuzz",
    dependencies: [.package(name: "accsim", path: "..")],
    targets: [
        .executableTarget(
            name: "accsim-fuzz",
            dependencies: [.product(name: "AccsimFuzzTargets", package: "accsim")],
            swiftSettings: [.swiftLanguageMode(.v6)])
    ]
)
