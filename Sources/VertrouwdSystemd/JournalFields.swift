// JournalFields — the journal fields of one log record, as a pure function
// of level, message, metadata and source location (systemd.journal-fields(7)).
//
// Security stance: metadata keys come from code, but are still reduced to
// [A-Z0-9_] and prefixed with VERTROUWD_, so that no key can set a trusted
// field (those start with "_") or a well-known one such as PRIORITY or
// MESSAGE. Values go through unchanged: the native protocol carries
// newlines and binary data safely. Logs nothing itself.
import Logging

/// Builds the journal fields for one log record.
public enum JournalFields {
    /// The value of SYSLOG_IDENTIFIER.
    public static let identifier = "vertrouwd"
    /// Prefix of the fields made from metadata keys.
    public static let metadataPrefix = "VERTROUWD_"
    /// journald drops fields whose names are longer than this.
    static let maximumNameLength = 64

    /// The fields for one record, in this order: MESSAGE, PRIORITY,
    /// SYSLOG_IDENTIFIER, VERTROUWD_EVENT (from the metadata key "event",
    /// when present), CODE_FILE, CODE_LINE, CODE_FUNC, then one
    /// VERTROUWD_<KEY> per other metadata key, sorted by field name.
    ///
    /// A key is upper-cased; every character outside [A-Z0-9] becomes "_",
    /// and leading and trailing "_" are dropped ("signal-kind" becomes
    /// VERTROUWD_SIGNAL_KIND). A key with nothing left is skipped. The
    /// prefix means a name never starts with a digit or "_".
    public static func make(level: Logger.Level, message: String, metadata: Logger.Metadata,
                            file: String, function: String, line: UInt) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [
            ("MESSAGE", message),
            ("PRIORITY", String(priority(level))),
            ("SYSLOG_IDENTIFIER", identifier),
        ]
        if let event = metadata["event"] {
            fields.append(("VERTROUWD_EVENT", render(event)))
        }
        fields.append(("CODE_FILE", file))
        fields.append(("CODE_LINE", String(line)))
        fields.append(("CODE_FUNC", function))
        var others: [(name: String, value: String)] = []
        for (key, value) in metadata where key != "event" {
            guard let name = fieldName(forKey: key) else { continue }
            others.append((name, render(value)))
        }
        others.sort { ($0.name, $0.value) < ($1.name, $1.value) }
        return fields + others
    }

    /// syslog(3) priority of a level: trace and debug 7, info 6, notice 5,
    /// warning 4, error 3, critical 2.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// The journal field for a metadata key, or nil when the key has no
    /// usable character.
    public static func fieldName(forKey key: String) -> String? {
        var reduced = ""
        for scalar in key.uppercased().unicodeScalars {
            switch scalar {
            case "A"..."Z", "0"..."9": reduced.unicodeScalars.append(scalar)
            default: reduced.unicodeScalars.append("_")
            }
        }
        let trimmed = reduced.drop { $0 == "_" }.reversed().drop { $0 == "_" }.reversed()
        guard !trimmed.isEmpty else { return nil }
        return String((metadataPrefix + String(trimmed)).prefix(maximumNameLength))
    }

    /// Strings as they are; other values as swift-log prints them.
    static func render(_ value: Logger.MetadataValue) -> String {
        if case .string(let text) = value { return text }
        return value.description
    }
}
