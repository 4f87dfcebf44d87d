#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard error (diagnostics never go to standard output, so
/// scripts can capture the summary alone).
func printError(_ text: String, terminator: String = "\n") {
    var bytes = Array((text + terminator).utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return }
        bytes = bytes.dropFirst(n)
    }
}
