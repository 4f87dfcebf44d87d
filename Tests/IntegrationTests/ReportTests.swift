import Foundation
import GRDB
import Testing

extension Integration {
    /// `vertrouwd report` through the built binary (issue 15 §3): a term
    /// overview made only of the weeks' published summaries, with gaps
    /// where none was published, while the daemon runs.
    @Suite struct ReportTests {
        /// ISO weeks in Europe/Amsterdam, counted back from now.
        static func week(_ weeksAgo: Int) -> (label: String, start: Int64, middle: Date, words: String) {
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
            let d = Date().addingTimeInterval(-Double(weeksAgo) * 7 * 86_400)
            let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: d)
            let start = calendar.dateInterval(of: .weekOfYear, for: d)!.start
            return (String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!), Int64(start.timeIntervalSince1970),
                    start.addingTimeInterval(3 * 86_400 + 12 * 3_600), "week \(c.weekOfYear!) van \(c.yearForWeekOfYear!)")
        }

        static func stamp(_ date: Date) -> String {
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "Europe/Amsterdam")
            return f.string(from: date)
        }

        /// The row of `words` ("week 47 van 2026") in the weeks table.
        static func weekRow(_ html: String, _ words: String) -> Substring? {
            guard let start = html.range(of: "<section class=\"weeks\">"),
                  let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex) else { return nil }
            return html[start.upperBound..<end.lowerBound].split(separator: "\n").first { $0.contains(">\(words)<") }
        }

        /// The number cells of a row, unescaped.
        static func cells(_ row: Substring) -> [String] {
            row.matches(of: /<td class="n[^"]*">([^<]*)<\/td>/).map { String($0.1).replacingOccurrences(of: "&lt;", with: "<") }
        }

        /// Runs the binary with its own environment (PATH without chromium).
        static func run(_ arguments: [String], environment: [String: String]) throws -> Binary.Result {
            let process = Process()
            process.executableURL = Binary.url
            process.arguments = arguments
            process.environment = environment
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            let errData = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Binary.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                 stderr: String(decoding: errData, as: UTF8.self))
        }

        /// Four weeks ago: a holiday week whose summary showed 35, an "x"
        /// and an alert; then two weeks without a summary (the server was
        /// off and catch_up_weeks = 0 gave them up); last week published
        /// by the daemon from real signals. The store holds no signal of
        /// week 4, so its "35" can only come from its stored summary.
        @Test func theReportShowsExactlyWhatWasPublishedAndGapsWhereNothingWas() throws {
            let h = try DaemonHarness(extra: """
                [ingest]
                max_age = "14d"
                dedup_horizon = "15d"

                [summary]
                schedule = "mon 00:00"
                catch_up_weeks = 0
                """)
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            let (w5, w4, w3, w2, w1) = (Self.week(5), Self.week(4), Self.week(3), Self.week(2), Self.week(1))
            let shown = #"{"type":"summary","week":"\#(w4.label)","tables":[{"name":"category","rows":[{"key":"sextortion.payment","value":"35"},{"key":"grooming","value":"x"},{"key":"distress","value":"<5"}],"total":"40"}],"alerts":[{"rule":"sextortion-week","window":"\#(w4.label)","at_least":10,"categories":["sextortion.payment"],"group":{"site":"hoofdgebouw"}}],"holiday_week":true}"#
            let envelope = try String(decoding: JSONSerialization.data(withJSONObject: [
                "week": w4.label, "total": "40",
                "renderings": ["nl": ["subject": "s", "text": "t", "html": "h", "json": shown],
                               "en": ["subject": "s", "text": "t", "html": "h", "json": shown]],
            ]), as: UTF8.self)
            let db = try DatabaseQueue(path: h.statePath)
            try db.write { db in
                try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'created_at'", arguments: [w5.start])
                try db.execute(sql: "INSERT INTO summaries(week, window_start, published_at, json) VALUES (?, ?, ?, ?)",
                               arguments: [w4.label, w4.start, w3.start, envelope])
            }
            try db.close()
            let ts = "\"\(Self.stamp(w1.middle))\""
            var lines: [String] = []
            lines += (0..<23).map { _ in Lines.signal([("ts", ts), ("category", "\"sextortion.payment\"")]) }
            lines += (0..<6).map { _ in Lines.signal([("ts", ts), ("category", "\"help_seeking\""), ("cohort", "\"klas-1\"")]) }
            try h.drop(lines.joined(separator: "\n") + "\n")
            try h.start()
            try h.waitUntilDrained()
            try waitUntil("last week's summary is published", timeout: 30) {
                (try? h.outbox().contains { $0.kind == "summary" }) == true
            }
            // The daemon keeps running: the report reads beside it.
            let dir = try TemporaryDirectory()
            let out = dir.url.appendingPathComponent("overzicht.html").path
            let r = try Binary.run(["report", "--config", h.configPath, "--from", w5.label, "--to", w1.label, "--out", out])
            #expect(h.process?.isRunning == true)
            #expect(h.stop() == 0)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.isEmpty, "with --out the HTML goes to the file only")
            #expect(r.stderr.contains("report \(w5.label) to \(w1.label): 5 weeks, 2 with a published summary, 3 gaps"), "\(r.stderr)")
            let attributes = try FileManager.default.attributesOfItem(atPath: out)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let html = try String(contentsOfFile: out, encoding: .utf8)
            #expect(html.contains("<html lang=\"nl\">") && html.contains("Testschool"))

            // Last week: exactly the values its published summary shows.
            let summary = try Binary.run(["summary", "--config", h.configPath, "--week", w1.label, "--format", "json"])
            #expect(summary.status == 0, "\(summary.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any])
            let table = try #require((object["tables"] as? [[String: Any]])?.first { $0["name"] as? String == "category" })
            let published = try #require(table["rows"] as? [[String: String]]).compactMap { $0["value"] } + [try #require(table["total"] as? String)]
            #expect(published.contains("25") || published.contains("30"), "\(published)")
            let lastWeek = try #require(Self.weekRow(html, w1.words), "\(html)")
            // Its columns are the taxonomy's categories, as its table lists them; week 4 adds none.
            #expect(Self.cells(lastWeek) == published, "\(lastWeek)")

            // Four weeks ago: its stored numbers, its holiday mark, its alert.
            let holiday = try #require(Self.weekRow(html, w4.words))
            #expect(holiday.hasPrefix("<tr class=\"holiday\">") && holiday.contains("<span class=\"tag\">vakantie</span>"))
            #expect(Self.cells(holiday).contains("35") && Self.cells(holiday).contains("x") && Self.cells(holiday).last == "40",
                    "\(holiday)")
            #expect(html.contains("ten minste 10 leerlingen"))
            // No summary in weeks 5, 3 and 2: gaps, never zeros.
            for gap in [w5, w3, w2] {
                let row = try #require(Self.weekRow(html, gap.words))
                #expect(row.hasPrefix("<tr class=\"gap\">") && row.contains(">geen overzicht</td>") && Self.cells(row).isEmpty, "\(row)")
            }

            // In English on request; to standard output without --out.
            let en = try Binary.run(["report", "--config", h.configPath, "--from", w5.label, "--to", w1.label, "--language", "en"])
            #expect(en.status == 0, "\(en.stderr)")
            #expect(en.stdout.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">") && en.stdout.contains(">no summary</td>"))
        }

        /// A week that is not an ISO week, a period backwards, or one that
        /// has not ended gets a message that says what is wrong.
        @Test func aBadWeekGetsAClearError() throws {
            let h = try DaemonHarness()
            let cases: [([String], Int32, String)] = [
                (["--from", "2026-W60", "--to", "2026-W61"], 64,
                 "--from must be an ISO week such as 2026-W36 (four-digit year, \"-W\", two-digit week 01-53)"),
                (["--from", "2026-W36", "--to", "2026-36"], 64, "--to must be an ISO week such as 2026-W36"),
                (["--from", "2025-W53", "--to", "2026-W01"], 64, "--from must be an ISO week"),
                (["--from", "2026-W40", "--to", "2026-W36"], 64, "--from 2026-W40 is after --to 2026-W36"),
                (["--from", Self.week(3).label, "--to", Self.week(0).label], 1, "vertrouwd: \(Self.week(0).label) has not closed yet; a report covers closed weeks only"),
                (["--from", "2026-W36", "--to", "2026-W37", "--language", "de"], 64, "--language must be nl or en"),
            ]
            for (arguments, status, message) in cases {
                let r = try Binary.run(["report", "--config", h.configPath] + arguments)
                #expect(r.status == status, "\(arguments): \(r.stderr)")
                #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
                #expect(r.stdout.isEmpty)
            }
            // No state database yet: nothing to report from.
            let r = try Binary.run(["report", "--config", h.configPath, "--from", Self.week(2).label, "--to", Self.week(1).label])
            #expect(r.status == 2 && r.stderr.contains("vertrouwd: cannot read the published summaries: no state database at \(h.statePath)"),
                    "\(r.stderr)")
        }

        /// With chromium installed (scripts/ensure-deps installs it for the
        /// tests), --pdf prints the overview to a PDF.
        @Test(.enabled(if: ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains { FileManager.default.isExecutableFile(atPath: $0) }))
        func thePDFIsMadeWhenChromiumIsPresent() throws {
            let h = try DaemonHarness()
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            let dir = try TemporaryDirectory()
            let pdf = dir.url.appendingPathComponent("overzicht.pdf").path
            let html = dir.url.appendingPathComponent("overzicht.html").path
            let r = try Binary.run(["report", "--config", h.configPath, "--from", Self.week(3).label, "--to", Self.week(1).label,
                                    "--out", html, "--pdf", pdf])
            #expect(r.status == 0, "\(r.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
            #expect(bytes.starts(with: Data("%PDF".utf8)), "\(bytes.prefix(16))")
            #expect((try FileManager.default.attributesOfItem(atPath: pdf)[.posixPermissions] as? Int) == 0o600)
            #expect(try String(contentsOfFile: html, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["overzicht.html", "overzicht.pdf"],
                    "no partial file is left")
        }

        /// Without a converter --pdf fails at once, with a message that
        /// says what to do, and writes nothing; the HTML still works, and
        /// leaves the state database as it was.
        @Test func withoutChromiumThePDFFailsClearlyAndTheHTMLStillWorks() throws {
            let h = try DaemonHarness()
            try h.prepareSpool()
            try h.start()
            #expect(h.stop() == 0)
            let dir = try TemporaryDirectory()
            let html = dir.url.appendingPathComponent("overzicht.html").path
            let noChromium = ["PATH": dir.path, "HOME": dir.path]
            let period = ["--from", Self.week(2).label, "--to", Self.week(1).label]
            let r = try Self.run(["report", "--config", h.configPath] + period + ["--out", html, "--pdf", dir.path + "/x.pdf"],
                                 environment: noChromium)
            #expect(r.status == 1)
            #expect(r.stderr.contains("vertrouwd: --pdf needs chromium, which is not installed (apt-get install chromium); "
                                      + "leave out --pdf and print the HTML from a browser instead"), "\(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "nothing written")
            let before = try Data(contentsOf: URL(fileURLWithPath: h.statePath))
            let plain = try Self.run(["report", "--config", h.configPath] + period + ["--out", html], environment: noChromium)
            #expect(plain.status == 0, "\(plain.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: h.statePath)) == before, "the report only reads the state database")
            #expect(try String(contentsOfFile: html, encoding: .utf8).contains("<td colspan=\"1\">geen overzicht</td>"))
        }
    }
}

private extension TemporaryDirectory {
    var path: String { url.path }
}
