import Foundation

/// The words of health messages and of the STATUS line's outbox part, in
/// Dutch (the default) and English. Times to the minute in the school's
/// zone; ages in minutes, hours or days.
struct HealthWording {
    let language: Language
    let zone: TimeZone
    let now: Int64

    func t(_ nl: String, _ en: String) -> String { language == .nl ? nl : en }

    /// "2026-12-03 05:07" in the school's zone.
    func time(_ epoch: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        return "\(c.year!)-\(pad(c.month!, 2))-\(pad(c.day!, 2)) \(pad(c.hour!, 2)):\(pad(c.minute!, 2))"
    }

    /// "2026-12-03 14:00–15:00": the hour of `epoch`, for when a SOURCE
    /// was last seen. Never the minute: for a help-button source that would
    /// tell IT when a pupil asked for help (P3 keeps hours only).
    func hour(_ epoch: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour], from: Date(timeIntervalSince1970: TimeInterval(epoch)))
        return "\(c.year!)-\(pad(c.month!, 2))-\(pad(c.day!, 2)) \(pad(c.hour!, 2)):00–\(pad((c.hour! + 1) % 24, 2)):00"
    }

    func age(_ seconds: Int64) -> String {
        HealthWording.age(seconds, language)
    }

    /// "12 min", "5 uur" / "5 h", "3 dagen" / "3 days".
    static func age(_ seconds: Int64, _ language: Language) -> String {
        let s = max(0, seconds)
        if s < 3_600 { return "\(s / 60) min" }
        if s < 2 * 86_400 { return language == .nl ? "\(s / 3_600) uur" : "\(s / 3_600) h" }
        let days = s / 86_400
        return language == .nl ? "\(days) dagen" : "\(days) days"
    }

    func routeName(_ route: DeliveryRoute) -> String {
        switch route {
        case .email: t("e-mail", "e-mail")
        case .socket: "socket"
        }
    }

    /// A problem in a few words, for the subject.
    func title(_ problem: HealthProblem) -> String {
        switch problem {
        case .deliveryFailing(let route): t("bezorging per \(routeName(route)) mislukt", "delivery by \(routeName(route)) failing")
        case .storeDegraded: t("opslag kan niet schrijven", "store cannot write")
        case .diskNearFull: t("schijf bijna vol", "disk nearly full")
        case .sourceSilent(let source): t("bron \(source) stil", "source \(source) silent")
        }
    }

    /// One notice with what the facts say about its problem.
    func line(_ notice: HealthNotice, _ facts: HealthFacts) -> String {
        // A source's silence starts from its last signal: an hour, never a minute.
        let stamp: (Int64) -> String = { if case .sourceSilent = notice.problem { hour($0) } else { time($0) } }
        let since = t("sinds \(stamp(notice.since))", "since \(stamp(notice.since))")
        if notice.change == .cleared {
            let what = title(notice.problem)
            return t("\(what.prefix(1).uppercased())\(what.dropFirst()): \(since), opgelost \(time(now)).",
                     "\(what.prefix(1).uppercased())\(what.dropFirst()): \(since), cleared \(time(now)).")
        }
        let again = notice.change == .ongoing ? t(" Nog steeds niet opgelost.", " Still not cleared.") : ""
        switch notice.problem {
        case .deliveryFailing(let route):
            let f = facts.failing[route]
            let count = f?.count ?? 0
            let reason = f?.reason ?? ""
            return t("Bezorging per \(routeName(route)) mislukt: \(count) \(count == 1 ? "bericht" : "berichten") opgegeven (laatste reden: \(reason)), \(since). Deze berichten komen niet meer aan.\(again)",
                     "Delivery by \(routeName(route)) failing: \(count) \(count == 1 ? "message" : "messages") given up (last reason: \(reason)), \(since). These messages will not arrive.\(again)")
        case .storeDegraded:
            let reason = facts.degradedReason ?? ""
            return t("De opslag kan niet schrijven (\(reason)), \(since). Signalen blijven in de spool wachten en worden nog niet geteld.\(again)",
                     "The store cannot write (\(reason)), \(since). Signals wait in the spool and are not counted yet.\(again)")
        case .diskNearFull:
            let free = facts.disk.map { "\(mebibytes($0.free)) MiB (\($0.freePercent)%)" } ?? "?"
            return t("De schijf van de database is bijna vol: \(free) vrij, \(since).\(again)",
                     "The database's disk is nearly full: \(free) free, \(since).\(again)")
        case .sourceSilent(let source):
            let seen = facts.lastSeen[source].map(hour) ?? "?"
            return t("Bron \(source) heeft niets gestuurd sinds \(seen). Werkt het filter of programma dat de signalen levert nog?\(again)",
                     "Source \(source) has sent nothing since \(seen). Is the filter or program that sends the signals still working?\(again)")
        }
    }

    func mebibytes(_ bytes: Int64) -> Int64 { bytes / 1_048_576 }

    /// The state of the system, problem or not.
    func state(_ facts: HealthFacts) -> [String] {
        var items: [String] = []
        if facts.waiting == 0 {
            items.append(t("Wachtende berichten: geen", "Messages waiting: none"))
        } else {
            let oldest = facts.oldestWaiting.map { t(", oudste \(age(now - $0))", ", oldest \(age(now - $0))") } ?? ""
            items.append(t("Wachtende berichten: \(facts.waiting)\(oldest)", "Messages waiting: \(facts.waiting)\(oldest)"))
        }
        if facts.failing.isEmpty {
            items.append(t("Opgegeven berichten: geen", "Messages given up: none"))
        } else {
            let parts = facts.failing.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\(routeName($0.key)) \($0.value.count)" }
            items.append(t("Opgegeven berichten sinds de laatste bezorging: ", "Messages given up since the last delivery: ") + parts.joined(separator: ", "))
        }
        if facts.rejects.isEmpty {
            items.append(t("Afgewezen vandaag: geen", "Rejected today: none"))
        } else {
            let parts = facts.rejects.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            items.append(t("Afgewezen vandaag, per reden: ", "Rejected today, by reason: ") + parts.joined(separator: ", "))
        }
        for (source, seen) in facts.lastSeen.sorted(by: { $0.key < $1.key }) {
            items.append(t("Bron \(source): laatst gezien \(hour(seen))", "Source \(source): last seen \(hour(seen))"))
        }
        if let disk = facts.disk {
            items.append(t("Vrije schijfruimte: \(mebibytes(disk.free)) MiB (\(disk.freePercent)%)",
                           "Free disk space: \(mebibytes(disk.free)) MiB (\(disk.freePercent)%)"))
        }
        return items
    }
}

/// The outbox part of the daemon's STATUS line (sd_notify), in English
/// like every STATUS text: "watching the spool; 3 messages waiting,
/// oldest 2 h". Nothing waiting leaves the base as it is.
public enum OutboxStatus {
    public static func line(_ base: String, waiting: Int, oldest: Int64?, now: Int64) -> String {
        guard waiting > 0 else { return base }
        let what = waiting == 1 ? "1 message waiting" : "\(waiting) messages waiting"
        let age = oldest.map { ", oldest " + HealthWording.age(now - $0, .en) } ?? ""
        return "\(base); \(what)\(age)"
    }
}
