/// The eleven keys of the v1 signal schema (DESIGN §2).
enum SignalField: UInt8, CaseIterable, Sendable {
    case v, id, ts, source, category, site, cohort, channel, severity, count, subject

    /// The key as it appears in JSON, also the `field` of a rejection.
    var name: String {
        switch self {
        case .v: "v"
        case .id: "id"
        case .ts: "ts"
        case .source: "source"
        case .category: "category"
        case .site: "site"
        case .cohort: "cohort"
        case .channel: "channel"
        case .severity: "severity"
        case .count: "count"
        case .subject: "subject"
        }
    }

    var bit: UInt16 { 1 << UInt16(rawValue) }

    /// Opaque producer tokens (`id`, `subject`) and the timestamp: the PII
    /// gate's 8-digits rule does not apply to them, every other detector does.
    var isOpaque: Bool { self == .id || self == .ts || self == .subject }

    /// The required keys, in the order a missing one is reported.
    static let required: [SignalField] = [.v, .id, .ts, .source, .category]

    static func isSchemaName(_ name: String) -> Bool {
        allCases.contains { $0.name == name }
    }

    /// Recognises a decoded key without allocating.
    init?(key: UnsafeRawBufferPointer) {
        func equals(_ literal: StaticString) -> Bool {
            guard literal.utf8CodeUnitCount == key.count else { return false }
            let p = literal.utf8Start
            for i in 0..<key.count where key[i] != p[i] { return false }
            return true
        }
        switch key.count {
        case 1: if equals("v") { self = .v; return }
        case 2:
            if equals("id") { self = .id; return }
            if equals("ts") { self = .ts; return }
        case 4: if equals("site") { self = .site; return }
        case 5: if equals("count") { self = .count; return }
        case 6:
            if equals("source") { self = .source; return }
            if equals("cohort") { self = .cohort; return }
        case 7:
            if equals("channel") { self = .channel; return }
            if equals("subject") { self = .subject; return }
        case 8:
            if equals("category") { self = .category; return }
            if equals("severity") { self = .severity; return }
        default: break
        }
        return nil
    }
}
