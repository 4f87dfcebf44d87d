/// The help page's only mutable state, all in memory: the two rate
/// limiters and the forms already answered. Nothing here is an address,
/// a token's owner or a choice.
actor HelpPageState {
    var requests: RateLimiter
    var reports: RateLimiter
    var answered = AnsweredForms()

    init(settings: HelpPageSettingsLimits) {
        requests = RateLimiter(limit: settings.requestsPerMinute, per: 60)
        reports = RateLimiter(limit: settings.reportsPerHour, per: 3_600)
    }

    func allowRequest(_ client: UInt64, now: Double) -> Bool { requests.allow(client, now: now) }
    func allowReport(_ client: UInt64, now: Double) -> Bool { reports.allow(client, now: now) }
    func firstAnswer(_ token: String, expiry: Int64, now: Int64) -> Bool {
        answered.firstAnswer(token, expiry: expiry, now: now)
    }
    func forget(_ token: String) { answered.forget(token) }
}

/// The limits the state is built from.
struct HelpPageSettingsLimits {
    var requestsPerMinute: Int
    var reportsPerHour: Int
}
