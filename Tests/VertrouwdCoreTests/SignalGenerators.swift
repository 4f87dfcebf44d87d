import PropertyBased
import VertrouwdCore

/// A valid signal together with the line that encodes it.
struct GeneratedSignal: Sendable, CustomStringConvertible {
    var line: String
    var expected: Signal
    var description: String { line }
}

/// Random-value helpers over the property-test RNG.
extension RandomNumberGenerator {
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func string(from alphabet: String, count: Int) -> String {
        let chars = Array(alphabet)
        return String((0..<count).map { _ in pick(chars) })
    }
    mutating func digits(_ count: Int) -> String { string(from: "0123456789", count: count) }
}

enum SignalGen {
    static let crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    static let hex = "0123456789abcdef"
    static let letters = "abcdefghijklmnopqrstuvwxyz"

    /// Ids the way producers make them: ULIDs, UUIDs, prefixed counters and
    /// timestamps, and random strings of the id alphabet (without `.`, which
    /// could spell a real domain such as `x.nl` by chance).
    ///
    /// An id with an IBAN's start (two letters and two digits at its start
    /// or after a non-alphanumeric) is drawn again: one of 97 such random
    /// strings of the right length passes the IBAN checksum, and the gate
    /// then rightly refuses it (`is386aKLwbpjsqsSHjCD8ax357` is an
    /// Icelandic IBAN by length and checksum).
    static func id(_ rng: inout some RandomNumberGenerator) -> String {
        while true {
            let id = anyID(&rng)
            if !hasIBANStart(id) { return id }
        }
    }

    static func hasIBANStart(_ id: String) -> Bool {
        let b = Array(id.utf8)
        let isLetter = { (c: UInt8) in (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        let isDigit = { (c: UInt8) in c >= 0x30 && c <= 0x39 }
        for i in b.indices where i + 3 < b.count && (i == 0 || !(isLetter(b[i - 1]) || isDigit(b[i - 1]))) {
            if isLetter(b[i]) && isLetter(b[i + 1]) && isDigit(b[i + 2]) && isDigit(b[i + 3]) { return true }
        }
        return false
    }

    private static func anyID(_ rng: inout some RandomNumberGenerator) -> String {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return "01" + rng.string(from: crockford, count: 24)
        case 1:
            return [8, 4, 4, 4, 12].map { rng.string(from: hex, count: $0) }.joined(separator: "-")
        case 2:
            return rng.string(from: letters, count: Int.random(in: 3...9, using: &rng)) + "-"
                + String(Int.random(in: 1_700_000_000...1_900_000_000, using: &rng)) + "-"
                + rng.digits(Int.random(in: 1...6, using: &rng))
        case 3:
            return rng.string(from: letters, count: 4) + "." + String(Int.random(in: 1...9999, using: &rng))
                + ":" + rng.string(from: crockford, count: Int.random(in: 4...40, using: &rng))
        default:
            let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:-"
            return rng.string(from: alphabet, count: Int.random(in: 8...64, using: &rng))
        }
    }

    static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// `epoch` written in RFC 3339 with `offsetMinutes`, maybe a fraction.
    static func rfc3339(_ epoch: Int64, offsetMinutes: Int, fraction: String?, lowerCase: Bool) -> String {
        let local = epoch + Int64(offsetMinutes * 60)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let secs = Int(local - Int64(days) * 86_400)
        let (y, m, d) = civil(fromDays: days)
        var text = "\(pad(y, 4))-\(pad(m))-\(pad(d))\(lowerCase ? "t" : "T")\(pad(secs / 3600)):\(pad(secs / 60 % 60)):\(pad(secs % 60))"
        if let fraction { text += "." + fraction }
        if offsetMinutes == 0 && !lowerCase {
            text += "Z"
        } else if offsetMinutes == 0 {
            text += "z"
        } else {
            let a = abs(offsetMinutes)
            text += (offsetMinutes < 0 ? "-" : "+") + pad(a / 60) + ":" + pad(a % 60)
        }
        return text
    }

    /// H. Hinnant's `civil_from_days`.
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static let validSignal = Generator<GeneratedSignal, Shrink.None<GeneratedSignal>>(run: { rng in
        let ingest = IngestSettings()
        let epoch = Int64.random(in: (Fixture.now - ingest.maxAge.seconds)...(Fixture.now + ingest.maxFuture.seconds), using: &rng)
        let offset = rng.chance(0.3) ? 0 : Int.random(in: -48...56, using: &rng) * 15
        let fraction: String? = rng.chance(0.3) ? rng.digits(Int.random(in: 1...12, using: &rng)) : nil
        let ts = rfc3339(epoch, offsetMinutes: offset, fraction: fraction, lowerCase: rng.chance(0.1))
        let id = id(&rng)
        let source = rng.pick(Fixture.sources)
        let category = rng.pick(Fixture.categories)
        let site: String? = rng.chance(0.7) ? rng.pick(Fixture.sites) : nil
        let cohort: String? = rng.chance(0.7) ? rng.pick(Fixture.cohorts.map(\.value)) : nil
        let channel: String? = rng.chance(0.7) ? rng.pick(Fixture.channels.map(\.value)) : nil
        let severity: Severity? = rng.chance(0.5) ? rng.pick(Severity.allCases) : nil
        let count: Int? = rng.chance(0.5) ? Int.random(in: 1...1000, using: &rng) : nil
        var members: [(String, String)] = [
            ("v", "1"), ("id", "\"\(id)\""), ("ts", "\"\(ts)\""), ("source", "\"\(source)\""), ("category", "\"\(category)\""),
        ]
        if let site { members.append(("site", "\"\(site)\"")) }
        if let cohort { members.append(("cohort", "\"\(cohort)\"")) }
        if let channel { members.append(("channel", "\"\(channel)\"")) }
        if let severity { members.append(("severity", "\"\(severity.rawValue)\"")) }
        if let count { members.append(("count", "\(count)")) }
        members.shuffle(using: &rng)
        let space = rng.chance(0.2) ? " " : ""
        var line = "{" + space + members.map { "\"\($0.0)\":\(space)\($0.1)" }.joined(separator: "," + space) + space + "}"
        if rng.chance(0.1) { line += "\r" }
        let expected = Signal(
            id: id, timestamp: epoch, source: source, category: category, site: site, cohort: cohort,
            channel: channel, severity: severity ?? Taxonomy.defaultSeverity(of: category), count: count ?? 1)
        return GeneratedSignal(line: line, expected: expected)
    })
}

/// Generators of personal data, one per detector.
enum PIIGen {
    static func iban(_ rng: inout some RandomNumberGenerator) -> String {
        let bank = rng.string(from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", count: 4)
        let account = rng.digits(10)
        let bban = bank + account
        // Check digits: 98 - (BBAN + "NL00" as digits) mod 97.
        var m = 0
        for c in (bban + "NL00").utf8 {
            m = c >= 65 ? (m * 100 + Int(c) - 55) % 97 : (m * 10 + Int(c) - 48) % 97
        }
        let check = SignalGen.pad(98 - m)
        let plain = "NL" + check + bban
        guard rng.chance(0.5) else { return plain }
        let chars = Array(plain)
        return stride(from: 0, to: chars.count, by: 4).map { String(chars[$0..<min($0 + 4, chars.count)]) }.joined(separator: " ")
    }

    static func bsn(_ rng: inout some RandomNumberGenerator) -> String {
        while true {
            var d = (0..<8).map { _ in Int.random(in: 0...9, using: &rng) }
            d[0] = Int.random(in: 1...9, using: &rng)
            let sum = zip(d, [9, 8, 7, 6, 5, 4, 3, 2]).map(*).reduce(0, +)
            let last = sum % 11
            guard last < 10 else { continue }
            let text = (d + [last]).map(String.init).joined()
            return rng.chance(0.3) ? text.prefix(3) + "." + text.dropFirst(3).prefix(3) + "." + text.suffix(3) : text
        }
    }

    static func phone(_ rng: inout some RandomNumberGenerator) -> String {
        let mobile = rng.digits(8)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: return "06-" + mobile
        case 1: return "06" + mobile
        case 2: return "+31 6 " + mobile
        case 3: return "+316" + mobile
        case 4: return "00316" + mobile
        case 5: return "0" + String(Int.random(in: 10...99, using: &rng)) + "-" + rng.digits(7)
        default: return "010 " + rng.digits(3) + " " + rng.digits(4)
        }
    }

    static func email(_ rng: inout some RandomNumberGenerator) -> String {
        rng.string(from: SignalGen.letters + "0123456789._", count: Int.random(in: 1...12, using: &rng)).replacingOccurrences(of: "..", with: "a")
            + "@" + rng.string(from: SignalGen.letters, count: Int.random(in: 1...10, using: &rng))
            + "." + rng.pick(["nl", "com", "org", "be", "school"])
    }

    static func ip(_ rng: inout some RandomNumberGenerator) -> String {
        if rng.chance(0.5) {
            return (0..<4).map { _ in String(Int.random(in: 0...255, using: &rng)) }.joined(separator: ".")
        }
        let groups = (0..<8).map { _ in String(Int.random(in: 0...0xFFFF, using: &rng), radix: 16) }
        if rng.chance(0.5) { return groups.joined(separator: ":") }
        return groups[0..<3].joined(separator: ":") + "::" + groups[6..<8].joined(separator: ":")
    }

    static func mac(_ rng: inout some RandomNumberGenerator) -> String {
        let pairs = (0..<6).map { _ in rng.string(from: SignalGen.hex, count: 2) }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: return pairs.joined(separator: ":")
        case 1: return pairs.joined(separator: "-").uppercased()
        default: return pairs[0] + pairs[1] + "." + pairs[2] + pairs[3] + "." + pairs[4] + pairs[5]
        }
    }

    static func handle(_ rng: inout some RandomNumberGenerator) -> String {
        "@" + rng.string(from: SignalGen.letters + "_0123456789", count: Int.random(in: 2...15, using: &rng))
    }

    static func url(_ rng: inout some RandomNumberGenerator) -> String {
        let host = rng.string(from: SignalGen.letters, count: Int.random(in: 1...10, using: &rng))
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return "https://" + host + ".example/" + rng.string(from: SignalGen.letters, count: 3)
        case 1: return "http://" + host
        case 2: return "www." + host + ".org"
        default: return host + "." + rng.pick(["nl", "com", "me", "io", "net"])
        }
    }

    static func digits(_ rng: inout some RandomNumberGenerator) -> String {
        String(Int.random(in: 1...9, using: &rng)) + rng.digits(Int.random(in: 7...20, using: &rng))
    }

    struct Item: Sendable, CustomStringConvertible {
        var detector: PIIDetector
        var text: String
        var description: String { "\(detector): \(text)" }
    }

    static let item = Generator<Item, Shrink.None<Item>>(run: { rng in
        let detector = rng.pick(PIIDetector.allCases)
        let text: String
        switch detector {
        case .email: text = email(&rng)
        case .url: text = url(&rng)
        case .iban: text = iban(&rng)
        case .mac: text = mac(&rng)
        case .ip: text = ip(&rng)
        case .phone: text = phone(&rng)
        case .bsn: text = bsn(&rng)
        case .handle: text = handle(&rng)
        case .digits: text = digits(&rng)
        }
        return Item(detector: detector, text: text)
    })
}
