/// `[helppage]`: the pupils' anonymous help page (`vertrouwd helppage`).
///
/// Absent from the file means no help page; `Configuration.helpPage` is
/// then nil. Every key has a default except the section itself.
public struct HelpPageSettings: Hashable, Sendable {
    /// The `[[source]]` the help page's signals come from; check-config
    /// requires it when `[helppage]` is present.
    public static let sourceName = "helppage"

    /// Where the HTTP server listens; loopback by default, for the school
    /// portal's reverse proxy. Port 0 picks a free port (tests).
    public var listen = Endpoint(host: "127.0.0.1", port: 8080)
    /// The language a page opens in; the other one is a link away.
    public var language = Language.nl
    /// The trust contact's name as pupils know it, or nil.
    public var contactName: String?
    /// How pupils reach the trust contact (room, hours, school e-mail), or nil.
    public var contactDetails: String?
    /// The site every report is counted under, or nil for "unknown".
    public var site: String?
    /// Whether the report form asks for the year group (always optional
    /// for the pupil).
    public var askYearGroup = true
    /// The report form's situations and the category each one counts as,
    /// in the order the form shows them. Decoded from the defaults
    /// (`HelpSituation.defaultCategory`) and `[helppage.situations]`.
    public var situations: [HelpSituation: String] = [:]
    /// Page requests one client may make per minute (in memory only).
    public var requestsPerMinute = 60
    /// Reports one client may send per hour (in memory only).
    public var reportsPerHour = 5
    /// Concurrent connections; more wait in the listen backlog.
    public var maxConnections = 64
    /// Take the client for rate limiting from the last X-Forwarded-For
    /// entry (set when a reverse proxy on this machine adds it).
    public var trustForwardedFor = false

    public init() {}
}

/// What a pupil can say is happening, as a closed list: each maps to one
/// taxonomy category (DESIGN §2: no free text anywhere).
public enum HelpSituation: String, CaseIterable, Hashable, Sendable, Comparable {
    /// Someone threatens to share images unless the pupil does something.
    case threat
    /// Someone demands money, gift cards or more images.
    case payment
    /// Someone asks for nude or sexual images.
    case request
    /// Nude images of the pupil are going round.
    case shared
    /// An online contact is pushing, flattering, wants secrecy or a meeting.
    case grooming
    /// The pupil feels very bad or unsafe.
    case distress
    /// Something else; the pupil mainly wants help.
    case other

    /// The category of the shipped taxonomy (Config/vertrouwd.toml).
    public var defaultCategory: String {
        switch self {
        case .threat: "sextortion.threat"
        case .payment: "sextortion.payment"
        case .request: "image.request"
        case .shared: "image.shared"
        case .grooming: "grooming"
        case .distress: "distress"
        case .other: "help_seeking"
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
