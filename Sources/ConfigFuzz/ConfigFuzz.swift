// ConfigFuzz — libFuzzer entry point for the config parser.
//
// Feeds arbitrary bytes to `ConfigParser.parse(bytes:)`, which must never
// crash or hang. When the input parses without diagnostics, printing the
// document and parsing that again must give a structurally equal document
// with no diagnostics; a mismatch is a bug and traps via `precondition`.
// Logs nothing. Built only with VERTROUWD_FUZZ=1 (see Package.swift).
import VertrouwdConfig

@_cdecl("LLVMFuzzerTestOneInput")
public func configFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let (document, diagnostics) = ConfigParser.parse(bytes: bytes)
    for diagnostic in diagnostics {
        precondition(diagnostic.length >= 1, "diagnostic without a caret")
    }
    guard diagnostics.isEmpty else { return 0 }
    let printed = DocumentPrinter.print(document)
    let (again, againDiagnostics) = ConfigParser.parse(printed)
    precondition(againDiagnostics.isEmpty, "printed document does not parse: \(againDiagnostics)\n\(printed)")
    precondition(again.structurallyEquals(document), "round trip changed the document:\n\(printed)")
    return 0
}
