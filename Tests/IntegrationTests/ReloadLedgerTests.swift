import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Finding 7 of issue 13, through the built binary: an alert went out,
/// then a reload (SIGHUP) deleted its rule; the week's summary must still
/// check against that alert and list it. The attacker's case
/// `reload-forgets` (Tests/attacker): payment 6, grooming 4 and "payment +
/// grooming: at least 10" pin grooming = 4 when the summary shows payment
/// "6" beside grooming "<5".
extension Integration {
    @Suite struct ReloadLedgerTests {
        static let oldRule = """
            [[rule]]
            name = "oud-betaal-en-grooming"
            kind = "threshold"
            match = ["sextortion.payment", "grooming"]
            window = "week"
            min_count = 10
            group_by = []
            severity = "high"
            """
        static let newRule = """
            [[rule]]
            name = "dreiging"
            kind = "threshold"
            match = ["sextortion.threat"]
            window = "week"
            min_count = 50
            group_by = []
            severity = "high"
            """
        static func settings(_ rules: String) -> String {
            """
            [privacy]
            min_group_size = 5
            round_to = 1

            [ingest]
            max_age = "14d"
            dedup_horizon = "15d"

            [alerts]
            evaluate_every = "0s"
            release_every = "1s"

            [summary]
            schedule = "mon 00:00"

            \(rules)
            """
        }

        @Test func aDeletedRulesAlertStaysInTheWeeksCheckAndItsLines() throws {
            let (label, middle) = SummaryTests.previousWeek()
            let h = try DaemonHarness(extra: Self.settings(Self.oldRule + "\n\n" + Self.newRule))
            try h.prepareSpool()
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            let ts = "\"\(f.string(from: middle))\""
            var lines: [String] = []
            for (category, n) in [("sextortion.payment", 6), ("grooming", 4), ("image.request", 3), ("image.shared", 20)] {
                lines += (0..<n).map { _ in Lines.signal([("ts", ts), ("category", "\"\(category)\"")]) }
            }
            try h.drop(lines.joined(separator: "\n") + "\n")
            // The store is new: no summary is due; the signals are counted
            // and the old rule's alert goes out.
            try h.start(arguments: ["--log-level", "debug"])
            try h.waitUntilDrained()
            try waitUntil("the old rule's alert is sent", timeout: 30) {
                (try? h.outbox().contains { $0.kind == "alert" && $0.route == "socket" }) == true
            }
            let alert = try #require(try h.outbox().first { $0.kind == "alert" && $0.route == "socket" })
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(alert.json.utf8)) as? [String: Any])
            #expect(sent["at_least"] as? Int == 10, "\(sent)")

            // The admin deletes the rule: SIGHUP.
            let config = try String(contentsOfFile: h.configPath, encoding: .utf8)
            try config.replacingOccurrences(of: Self.oldRule, with: "").write(toFile: h.configPath, atomically: true, encoding: .utf8)
            let reloads = h.occurrences(of: "the reloaded configuration is in use")
            kill(try #require(h.process).processIdentifier, SIGHUP)
            try waitUntil("the reload is in use", timeout: 20) { h.occurrences(of: "the reloaded configuration is in use") > reloads }
            #expect(h.stop() == 0)

            // The store existed before last week ended, as on a running
            // school: the restart publishes last week's summary.
            let db = try DatabaseQueue(path: h.statePath)
            try db.write {
                try $0.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'", arguments: [Int64(middle.timeIntervalSince1970) - 86_400])
            }
            let stored = try db.read { try String.fetchAll($0, sql: "SELECT definition FROM alert_log WHERE rule = 'oud-betaal-en-grooming'") }
            #expect(stored == ["v1;threshold;window=week;match=2:sextortion.payment,grooming;group_by=0:;min_count=10"],
                    "the ledger keeps the rule as it decided")
            try db.close()
            try h.start(arguments: ["--log-level", "debug"])
            try waitUntil("last week's summary is published", timeout: 30) {
                (try? h.outbox().contains { $0.kind == "summary" }) == true
            }
            #expect(h.stop() == 0)

            let json = try Binary.run(["summary", "--config", h.configPath, "--week", label, "--format", "json"])
            #expect(json.status == 0, "\(json.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            // The deleted rule's alert is listed…
            let alerts = try #require(summary["alerts"] as? [[String: Any]])
            #expect(alerts.contains { $0["rule"] as? String == "oud-betaal-en-grooming" && $0["at_least"] as? Int == 10 }, "\(alerts)")
            // …and checked: beside the alert, payment "6" and grooming "<5"
            // say grooming = 4 (the attacker's pin). Checked without it (main
            // before the ledger) the summary showed exactly that.
            let tables = try #require(summary["tables"] as? [[String: Any]])
            let category = try #require(tables.first { $0["name"] as? String == "category" }.flatMap { $0["rows"] as? [[String: String]] })
            let values = Dictionary(category.compactMap { row in row["key"].flatMap { k in row["value"].map { (k, $0) } } },
                                    uniquingKeysWith: { a, _ in a })
            #expect(values["sextortion.payment"] != "6", "payment shown exactly beside grooming <5 pins grooming = 4: \(values)")
            if let grooming = values["grooming"], let payment = values["sextortion.payment"].flatMap(Int.init) {
                #expect(grooming != "<5" || payment >= 10, "no pin on grooming: \(values)")
            }
        }
    }
}
