/// Why an ingest line was not accepted: a stable reason code and, when it is
/// one of the schema's own field names, the field. Never the value (P2).
///
/// `description` is safe to log: it is built only from the reason code and a
/// fixed schema field name, never from the rejected input.
public struct SignalRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: RejectReason
    /// A schema field name (`v`, `id`, `ts`, `source`, `category`, `site`,
    /// `cohort`, `channel`, `severity`, `count`, `subject`) or nil. An unknown key's text
    /// is never reported: it could itself be personal data.
    public var field: String?

    /// A rejection for `reason`, naming `field` when it is a schema field.
    /// Passing any other text as `field` is a programming error (it could be
    /// input) and stops the process.
    public init(_ reason: RejectReason, field: String? = nil) {
        precondition(field.map(SignalField.isSchemaName) ?? true, "a rejection names only schema fields")
        self.reason = reason
        self.field = field
    }

    /// Whether the line must be quarantined without its content.
    public var isPII: Bool { reason.isPII }

    public var description: String {
        if let field { return "\(reason.rawValue) (field \(field))" }
        return reason.rawValue
    }
}

/// Stable, snake_case reason codes. They are written to logs, quarantine
/// reason files and health counters: never rename a case's raw value.
public enum RejectReason: String, CaseIterable, Hashable, Sendable {
    // The line as a whole.
    case lineTooLong = "line_too_long"
    case notUTF8 = "not_utf8"
    /// A NUL byte in the line, raw or escaped as `\u0000`: UTF-16 text, or
    /// text padded to hide from the PII gate. Decided before any field is
    /// used; the gate scans such a line without its NULs first, so a
    /// `pii_*` reason wins when the padding hid one. (A whole file in
    /// UTF-16 is refused earlier, as the file reason `utf16`.)
    case nulByte = "nul_byte"
    case malformedJSON = "malformed_json"
    case notAnObject = "not_an_object"
    case trailingData = "trailing_data"
    case tooDeep = "too_deep"
    // Keys and types.
    case duplicateField = "duplicate_field"
    case unknownField = "unknown_field"
    case missingField = "missing_field"
    case wrongType = "wrong_type"
    // Values.
    case badVersion = "bad_version"
    case badID = "bad_id"
    case badTimestamp = "bad_timestamp"
    case fromFuture = "from_future"
    case tooOld = "too_old"
    case unknownSource = "unknown_source"
    case unknownCategory = "unknown_category"
    case unknownSite = "unknown_site"
    case unknownCohort = "unknown_cohort"
    case unknownChannel = "unknown_channel"
    case badSeverity = "bad_severity"
    case badCount = "bad_count"
    case badSubject = "bad_subject"
    /// The source requires a `subject` (`[[source]] subjects = "required"`).
    case missingSubject = "missing_subject"
    // The PII gate, one per detector.
    case piiEmail = "pii_email"
    case piiPhone = "pii_phone"
    case piiIBAN = "pii_iban"
    case piiIP = "pii_ip"
    case piiMAC = "pii_mac"
    case piiBSN = "pii_bsn"
    case piiHandle = "pii_handle"
    case piiURL = "pii_url"
    case piiDigits = "pii_digits"

    /// True for the PII gate's reasons: quarantine without content.
    public var isPII: Bool { rawValue.utf8.starts(with: "pii_".utf8) }
}
