import Foundation
import VertrouwdAdapters
import VertrouwdCore

/// The fixture logs (Fixtures/*.log): real lines captured from Debian's
/// unbound and dnsmasq, and lines written to e2guardian's and FortiGate's
/// documented formats, each file citing its source. `#` lines are notes.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func lines(_ name: String) throws -> [ArraySlice<UInt8>] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return [UInt8](data).split(separator: 0x0A).filter { $0.first != 0x23 }
    }

    /// A fixed "now": 2026-12-03 12:00 UTC, after every fixture line.
    static let now: Int64 = 1_796_299_200

    static let amsterdam: @Sendable (Int64) -> Int = { _ in 3_600 }

    static func context() -> TimeContext { TimeContext(now: now, offset: amsterdam) }

    static let taxonomy = Taxonomy(
        categories: Vocabulary(["grooming", "sextortion.threat", "image.shared", "help_seeking", "distress"]),
        sites: Vocabulary(["hoofdgebouw", "dependance"]),
        cohorts: Vocabulary(grouped: [("klas-1", "onderbouw"), ("klas-4", "bovenbouw")]),
        channels: Vocabulary([]))

    static func matcher(_ text: String) -> DomainMatcher {
        var m = DomainMatcher()
        m.add(DomainList(bytes: Array(text.utf8), categories: taxonomy.categories).entries)
        return m
    }
}
