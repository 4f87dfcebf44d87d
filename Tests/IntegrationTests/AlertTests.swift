import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Integration {
    /// Signals that cross a threshold give exactly one alert per band,
    /// group and window, through the real daemon.
    @Suite struct AlertTests {
        static let rules = """
            [alerts]
            evaluate_every = "0s"
            release_every = "1s"

            [[rule]]
            name = "sextortion-acuut"
            kind = "threshold"
            match = ["sextortion.*"]
            window = "day"
            min_count = 5
            group_by = ["site", "channel"]
            severity = "high"
            """

        func alerts(_ h: DaemonHarness) throws -> [[String: Any]] {
            try h.outbox().filter { $0.kind == "alert" && $0.route == "socket" }.map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.json.utf8)) as? [String: Any])
            }
        }

        func signals(_ n: Int, site: String = "hoofdgebouw", channel: String = "instagram") -> String {
            (0..<n).map { _ in Lines.signal([("site", "\"\(site)\""), ("channel", "\"\(channel)\"")]) }.joined(separator: "\n") + "\n"
        }

        @Test func oneAlertPerBandGroupAndWindowAndNoneTwice() throws {
            let h = try DaemonHarness(extra: Self.rules)
            // Debug lines: the test waits for finished passes.
            let debug = ["--log-level", "debug"]
            try h.start(arguments: debug)
            var mark = h.logMark
            try h.drop(signals(4))
            try h.waitUntilDrained()
            // The rules ran after the file was counted ("0s": after every
            // drain) and held nothing for the next release tick ("1s").
            try h.waitForPass("evaluation, none held", since: mark, after: "accepted")
            #expect(try alerts(h).isEmpty, "4 signals are below min_count")

            try h.drop(signals(1))
            try waitUntil("the first alert", timeout: 10) { (try? alerts(h).count) == 1 }
            // Another group stays quiet below its own threshold.
            try h.drop(signals(4, channel: "snapchat"))
            try h.drop(signals(5))
            try waitUntil("the escalation", timeout: 10) { (try? alerts(h).count) == 2 }
            #expect(h.stop() == 0)

            // A restart decides nothing again…
            mark = h.logMark
            try h.start(arguments: debug)
            try h.drop(signals(1, channel: "discord"))
            try h.waitUntilDrained()
            try h.waitForPass("evaluation, none held", since: mark, after: "accepted")
            #expect(try alerts(h).count == 2)
            // …nor does a reload (SIGHUP), which starts a new evaluator.
            kill(h.process!.processIdentifier, SIGHUP)
            try waitUntil("the reload", timeout: 10) { h.log.contains("configuration reloaded") }
            mark = h.logMark
            try h.drop(signals(1, channel: "discord"))
            try h.waitUntilDrained()
            try h.waitForPass("evaluation, none held", since: mark, after: "accepted")
            #expect(h.stop() == 0)

            let all = try alerts(h).sorted { ($0["at_least"] as? Int ?? 0) < ($1["at_least"] as? Int ?? 0) }
            #expect(all.count == 2, "\(all)")
            #expect(all.map { $0["at_least"] as? Int } == [5, 10])
            #expect(all.map { $0["escalation"] as? Bool } == [false, true])
            #expect(all.allSatisfy { ($0["group"] as? [String: String]) == ["site": "hoofdgebouw", "channel": "instagram"] })
            let window = try #require(all.first?["window"] as? [String: String])
            #expect(window["kind"] == "day" && window["start"] == window["end"])
            // P9: nothing in an alert names a count, an id, a source or a time.
            for json in try h.outbox().map(\.json) {
                #expect(!json.contains("webfilter") && !json.contains("\"count\"") && !json.contains("T0"))
            }
            #expect(h.log.contains("alert: rule sextortion-acuut"))
        }
    }
}
