import Crypto
import VertrouwdCore

/// A stable, safe designation for a spool file in logs, errors and
/// quarantine names: the first 12 hex digits of the SHA-256 of its name.
///
/// File names are chosen by producers and may carry anything (a pupil's
/// name, control characters, invalid UTF-8), so they are never logged and
/// never reused as quarantine names. A name that is reused later gets the
/// same ID: a caller that needs one quarantine entry per file should combine
/// it with something unique (the content digest, a counter).
public func spoolFileID(for name: String) -> String {
    Hex.digits(Array(SHA256.hash(data: Array(name.utf8))).prefix(6))
}

/// The same designation for a name that is not valid UTF-8, from its bytes.
func spoolFileID(bytes: [UInt8]) -> String {
    Hex.digits(Array(SHA256.hash(data: bytes)).prefix(6))
}

