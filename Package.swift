// swift-tools-version:6.1
import PackageDescription

// The pipeline: Git → History ─┐
//               Documents ─────┴→ SiteModel → Outputs → SopsiteKit → sopsite
// Every module may import SOPCore; nothing imports upward (see README, "Architecture").
let package = Package(
    name: "sopsite",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sopsite", targets: ["sopsite"]),
        // The stages below SopsiteKit, for the libFuzzer targets in Fuzz/ (a separate package: see README, "Fuzzing").
        .library(name: "SopsiteFuzzSupport", targets: ["SOPCore", "GFM", "History", "Documents", "SiteModel", "Outputs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Only the preview server (`sopsite serve`) uses Hummingbird. Its default traits pull in swift-configuration,
        // which the server does not need: turning them off saves compile time (traits need tools 6.1; Hummingbird 2.28
        // itself needs 6.2).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Already in Hummingbird's graph; named here because the preview server uses their types directly.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),

        .target(name: "SOPCore"),
        .target(name: "Git", dependencies: ["SOPCore", "CGit2"]),
        .target(name: "GFM", dependencies: ["SOPCore", "CCmarkGFM"]),
        .target(name: "History", dependencies: ["SOPCore", "Git"]),
        .target(name: "Documents", dependencies: ["SOPCore", "GFM", .product(name: "Yams", package: "Yams")]),
        .target(name: "SiteModel", dependencies: ["SOPCore", "History", "Documents"]),
        .target(name: "Outputs", dependencies: ["SOPCore", "SiteModel", "GFM", .product(name: "Mustache", package: "swift-mustache")]),
        .target(name: "SopsiteKit", dependencies: ["SOPCore", "Git", "History", "Documents", "SiteModel", "Outputs"]),
        // The preview server is its own module so that the generator and its tests build without Hummingbird.
        .target(name: "PreviewServer", dependencies: ["SOPCore", "SopsiteKit", .product(name: "Hummingbird", package: "hummingbird"),
                                                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                                    .product(name: "HTTPTypes", package: "swift-http-types")]),
        .executableTarget(name: "sopsite", dependencies: ["SopsiteKit", "PreviewServer",
                                                          .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          // mimalloc (Debian's libmimalloc-dev) replaces glibc's malloc for the whole process: a build
                          // makes millions of small strings and arrays from several threads, and glibc's malloc and free
                          // were a seventh of a build's CPU; with mimalloc a build takes 15 % less (bench/README.md).
                          linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]),

        .target(name: "TestSupport", dependencies: ["SOPCore", "Git"]),

        .testTarget(name: "SOPCoreTests", dependencies: ["SOPCore"]),
        .testTarget(name: "GitTests", dependencies: ["Git", "TestSupport"]),
        .testTarget(name: "GFMTests", dependencies: ["GFM"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "Git", "TestSupport"]),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents"]),
        .testTarget(name: "SiteModelTests", dependencies: ["SiteModel", "History", "Documents"]),
        .testTarget(name: "OutputsTests", dependencies: ["Outputs", "SiteModel", "Documents", "History", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "SopsiteKitTests", dependencies: ["SopsiteKit", "TestSupport"]),
        .testTarget(name: "PreviewServerTests", dependencies: ["PreviewServer", "SopsiteKit", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
