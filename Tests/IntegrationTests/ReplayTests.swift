import Foundation
import Testing

extension Integration {
    @Suite struct ReplayTests {
        @Test func aLowerThresholdShowsTheExtraAlertAndTheSameConfigNone() throws {
            // k = 3 live: a candidate may lower min_count to k, never k itself
            // (SpoolPrivacyTests: replay never goes below the live k).
            let h = try DaemonHarness(extra: AlertTests.rules + "\n\n[privacy]\nmin_group_size = 3\n")
            try h.start()
            let a = (0..<7).map { _ in Lines.signal([("channel", "\"instagram\"")]) }
            let b = (0..<3).map { _ in Lines.signal([("channel", "\"snapchat\"")]) }
            try h.drop((a + b).joined(separator: "\n") + "\n")
            try h.waitUntilDrained()
            try waitUntil("counted", timeout: 10) { (try? h.total()) == 10 }
            #expect(h.stop() == 0)

            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd"
            f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            let today = f.string(from: Date().addingTimeInterval(-60))
            let same = try Binary.run(["replay", "--config", h.configPath, "--candidate", h.configPath])
            #expect(same.status == 0, "\(same.stderr)")
            #expect(same.stdout.contains("rule sextortion-acuut: current 1 alert, candidate 1 alert\n"))
            #expect(same.stdout.hasSuffix("no difference\n"))

            // A lower threshold, down to the live k.
            let lower = try String(contentsOfFile: h.configPath, encoding: .utf8).replacingOccurrences(of: "min_count = 5", with: "min_count = 3")
            let candidate = try h.dir.write("candidate.toml", lower)
            let diff = try Binary.run(["replay", "--config", h.configPath, "--candidate", candidate.path])
            #expect(diff.status == 0, "\(diff.stderr)")
            // With min_count 3 the bands are 3, 6, 12: the candidate also
            // reports the seven Instagram signals as "at least 6".
            #expect(diff.stdout.hasSuffix("""
                rule sextortion-acuut: current 1 alert, candidate 2 alerts
                  + 2026-11-29  channel=instagram;site=hoofdgebouw  at least 6
                  + 2026-11-29  channel=snapchat;site=hoofdgebouw  at least 3
                  - 2026-11-29  channel=instagram;site=hoofdgebouw  at least 5
                3 alerts differ (+ only the candidate sends, - only the current config sends)

                """.replacingOccurrences(of: "2026-11-29", with: today)), "\(diff.stdout)")
        }

        @Test func withoutAStateDatabaseThereIsNothingToReplay() throws {
            let h = try DaemonHarness()
            let result = try Binary.run(["replay", "--config", h.configPath, "--candidate", h.configPath])
            #expect(result.status == 2)
            #expect(result.stderr.contains("no state database"))
        }
    }
}
