// libFuzzer's driver, for an entry point of our own (LLVM's LibFuzzer.html, "Using libFuzzer as a library"). SwiftPM
// links a Swift executable's entry point under its own name, so the executable cannot use libFuzzer's `main`: its
// main.swift calls this instead. The symbol comes from the runtime that `-sanitize=fuzzer` links.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
