import VertrouwdCore

/// A submitted report, read from an `application/x-www-form-urlencoded`
/// body against the model's closed lists. Pure: a value or a reason code,
/// and a rejection never carries what was sent.
public struct ReportForm: Hashable, Sendable {
    /// The form token (checked by `FormToken`, not here).
    public var token: String
    public var language: Language
    /// "to a friend" rather than "to me": changes the thank-you page only
    /// (a signal has no field for it).
    public var aboutFriend: Bool
    public var situation: HelpSituation
    /// A taxonomy channel, or nil for "rather not say".
    public var channel: String?
    /// A taxonomy cohort, or nil for "rather not say" or not asked.
    public var cohort: String?

    /// Why a body is not a report. The reason is a code for tests and
    /// for choosing the error page; it never holds the value.
    public struct Rejection: Error, Hashable, Sendable {
        public enum Reason: String, Sendable {
            case malformed, unknownField, duplicateField, invalidValue, missingToken, missingChoice
        }
        public var reason: Reason
        /// The page language, when the body said it in a way we could read.
        public var language: Language?
    }

    /// The form's field names; anything else rejects the body.
    static let fields: Set<String> = ["token", "lang", "who", "what", "platform", "year"]

    public static func parse(_ body: [UInt8], model: HelpPageModel) -> Result<ReportForm, Rejection> {
        var values: [String: String] = [:]
        var language: Language?
        func reject(_ reason: Rejection.Reason) -> Result<ReportForm, Rejection> {
            .failure(Rejection(reason: reason, language: language))
        }
        guard body.count <= 4_096, let text = String(validating: body, as: UTF8.self) else { return reject(.malformed) }
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let key = percentDecoded(parts[0]), let value = percentDecoded(parts[1]) else {
                return reject(.malformed)
            }
            guard fields.contains(key) else { return reject(.unknownField) }
            guard values[key] == nil else { return reject(.duplicateField) }
            values[key] = value
            if key == "lang" { language = Language(rawValue: value) }
        }
        if values["lang"] != nil, language == nil { return reject(.invalidValue) }
        guard let token = values["token"], !token.isEmpty else { return reject(.missingToken) }

        var aboutFriend = false
        if let who = values["who"] {
            switch who {
            case "me": aboutFriend = false
            case "friend": aboutFriend = true
            default: return reject(.invalidValue)
            }
        }
        var situation: HelpSituation?
        if let what = values["what"] {
            guard let s = HelpSituation(rawValue: what), model.situations.contains(s) else { return reject(.invalidValue) }
            situation = s
        }
        var channel: String?
        if let platform = values["platform"], platform != "unknown" {
            guard model.channels.contains(platform) else { return reject(.invalidValue) }
            channel = platform
        }
        var cohort: String?
        if let year = values["year"], year != "unknown" {
            guard model.cohorts.contains(year) else { return reject(.invalidValue) }
            cohort = year
        }
        guard values["who"] != nil, let situation else { return reject(.missingChoice) }
        return .success(ReportForm(
            token: token, language: language ?? model.settings.language, aboutFriend: aboutFriend,
            situation: situation, channel: channel, cohort: cohort))
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX`
    /// a byte; nil for a bad escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let b = iterator.next() {
            switch b {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let h = iterator.next().flatMap(hexValue), let l = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(h << 4 | l)
            default: bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
