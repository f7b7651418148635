// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets over sopsite's stages (README, "Fuzzing"). A package of its own: an executable that defines
// LLVMFuzzerTestOneInput links only with `-sanitize=fuzzer`, so these never enter the main package's `swift build` or
// `make test`. Build and run them with `make fuzz` (Fuzz/run.sh).
let package = Package(
    name: "sopsite-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named, so that the products below resolve whatever the checkout's folder is called.
        .package(name: "sopsite", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's driver (LLVMFuzzerRunDriver), which each target's main.swift calls.
        .systemLibrary(name: "CLibFuzzer"),
        // What the targets share: the fixed site around the input, the stages of the build, checks on the output.
        .target(name: "FuzzSupport", dependencies: [.product(name: "SopsiteFuzzSupport", package: "sopsite")]),
        // Front matter + Markdown + link rewriting: one document beside two fixed ones, loaded, assembled into a site,
        // its body rendered with links rewritten. fuzz-site: the same input, the whole site rendered with the theme.
        .executableTarget(name: "fuzz-document", dependencies: ["CLibFuzzer", "FuzzSupport", .product(name: "SopsiteFuzzSupport", package: "sopsite")]),
        .executableTarget(name: "fuzz-site", dependencies: ["CLibFuzzer", "FuzzSupport", .product(name: "SopsiteFuzzSupport", package: "sopsite")]),
        // sopsite.yml (and the owners file) from bytes; a config without errors builds a small site.
        .executableTarget(name: "fuzz-config", dependencies: ["CLibFuzzer", "FuzzSupport", .product(name: "SopsiteFuzzSupport", package: "sopsite")]),
    ],
    swiftLanguageModes: [.v6]
)
