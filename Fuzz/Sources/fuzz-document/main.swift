import CLibFuzzer
import Foundation

// libFuzzer's command line (corpus folders, -max_total_time=…, a crash file to replay): see Fuzz/run.sh.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzDocument(data, size) })
