import VertrouwdDaemon

/// Writes to standard error (diagnostics never go to standard output, so
/// scripts can capture the summary alone).
func printError(_ text: String, terminator: String = "\n") {
    StandardError.write(text + terminator)
}
