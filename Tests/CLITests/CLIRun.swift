import Foundation

/// Runs the `sopsite` built next to this test binary (`InterruptedBuildTests.binary`) in `folder` and returns its exit
/// status and both outputs, for the CLI tests.
func runSopsite(_ arguments: [String], in folder: String) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = InterruptedBuildTests.binary
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Both pipes are drained before waiting: a full pipe would block the child.
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}
