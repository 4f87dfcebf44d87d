import Foundation
import Testing
import VertrouwdCore

/// A throughput measurement to run by hand, not a timed test:
///
///     VERTROUWD_MEASURE=1 swift test -c release --scratch-path .build-signals-rel --filter SignalThroughput
@Suite("Signal throughput (by hand)", .enabled(if: ProcessInfo.processInfo.environment["VERTROUWD_MEASURE"] == "1"))
struct SignalThroughput {
    static let lines = 1_000_000

    /// 1,000 distinct lines made from the DESIGN §2 example.
    static func validPool() -> [[UInt8]] {
        (0..<1_000).map { i in
            let id = "01JDQ3X7Z8K2M4N6P8R0T2" + String(10_000 + i)
            let channel = Fixture.channels[i % Fixture.channels.count].value
            return Array(Fixture.example
                .replacingOccurrences(of: "01JDQ3X7Z8K2M4N6P8R0T2V4W6", with: id)
                .replacingOccurrences(of: "instagram", with: channel).utf8)
        }
    }

    /// The same lines with one PII item in a rotating field.
    static func piiPool() -> [[UInt8]] {
        let items = ["jan@example.nl", "06-12345678", "NL91ABNA0417164300", "192.168.1.20", "aa:bb:cc:dd:ee:ff",
                     "111222333", "@jandevries", "https://evil.example", "123456789012"]
        let fields = ["site", "cohort", "channel", "severity"]
        return validPool().enumerated().map { i, line in
            Array(replacing(fields[i % fields.count], in: String(decoding: line, as: UTF8.self), with: items[i % items.count]).utf8)
        }
    }

    static func measure(_ name: String, _ pool: [[UInt8]], expectAccepted: Bool) {
        let validator = Fixture.validator
        var accepted = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for i in 0..<lines {
                pool[i % pool.count].withUnsafeBytes { bytes in
                    if case .success = validator.validate(line: bytes, now: Fixture.now) { accepted += 1 }
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("\(name): \(lines) lines in \(String(format: "%.3f", seconds)) s = \(Int(Double(lines) / seconds)) lines/s")
        #expect(accepted == (expectAccepted ? lines : 0))
    }

    @Test func validLines() { Self.measure("valid", Self.validPool(), expectAccepted: true) }
    @Test func piiLines() { Self.measure("pii", Self.piiPool(), expectAccepted: false) }
}
