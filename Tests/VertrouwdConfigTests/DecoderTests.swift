import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdConfig

/// Decodes `text` and returns the configuration and the rendered diagnostics.
func decode(_ text: String) -> (Configuration?, [Diagnostic]) {
    let checked = ConfigLoader(fileSystem: InMemoryConfigFileSystem()).check(bytes: Array(text.utf8), file: "t.toml")
    return (checked.configuration, checked.diagnostics)
}

let minimalConfig = """
    [school]
    name = "Testschool"

    [taxonomy]
    categories = ["grooming", "sextortion.threat", "sextortion.payment"]

    [[source]]
    name = "webfilter"

    [[recipient]]
    name = "vp"
    email = "vp@school.nl"

    [delivery.email]
    from = "vertrouwd@school.nl"

    """

@Suite struct DecoderTests {
    @Test func minimalConfigTakesEveryDefaultOfConfigMd() throws {
        let (c, diagnostics) = decode(minimalConfig)
        #expect(diagnostics.isEmpty)
        let config = try #require(c)
        #expect(config.school.timeZone.identifier == "Europe/Amsterdam")
        #expect(config.school.language == .nl)
        #expect(config.spool.path == "/var/spool/vertrouwd")
        #expect(config.spool.maxFileBytes == 1_048_576)
        #expect(config.spool.rescan == Interval(seconds: 60))
        #expect(config.spool.quarantineDays == 7)
        #expect(config.ingest.maxFuture == .minutes(5))
        #expect(config.ingest.maxAge == .days(7))
        #expect(config.ingest.dedupHorizon == .days(8))
        #expect(config.state.path == "/var/lib/vertrouwd/state.db")
        #expect(config.state.retentionWeeks == 104)
        #expect(config.privacy.minGroupSize == 5)
        #expect(config.privacy.roundTo == 5)
        #expect(config.alerts.evaluateEvery == .minutes(15))
        #expect(config.summary.schedule == WeeklySchedule(weekday: .monday, hour: 7, minute: 30))
        #expect(config.summary.trendWeeks == 8)
        #expect(config.summary.catchUpWeeks == 4)
        #expect(config.delivery.maxAge == .days(7))
        #expect(config.delivery.email.mode == .smtp)
        #expect(config.delivery.email.relay == Endpoint(host: "127.0.0.1", port: 25))
        #expect(config.delivery.email.startTLS == .opportunistic)
        #expect(config.delivery.email.sendmailPath == "/usr/sbin/sendmail")
        #expect(config.delivery.socketPath == nil)
        #expect(config.submit.socketPath == nil)
        #expect(config.submit.allowedGroups == ["vertrouwd-submit"])
        #expect(config.rules.isEmpty)
        #expect(config.recipients == [Recipient(name: "vp", email: "vp@school.nl", language: .nl, receives: [.alerts, .summaries])])
    }

    @Test func configMdExampleDecodesToWhatItSays() throws {
        let url = Golden.directory.appendingPathComponent("valid/config-md-example.toml")
        let (c, diagnostics) = decode(try String(contentsOf: url, encoding: .utf8))
        #expect(diagnostics.isEmpty)
        let config = try #require(c)
        #expect(config.school.name == "Voorbeeldcollege")
        #expect(config.taxonomy.categories.values.count == 7)
        #expect(config.taxonomy.cohorts.group(of: "klas-4") == "bovenbouw")
        #expect(config.taxonomy.channels.group(of: "discord") == "gaming")
        #expect(config.taxonomy.channels.groupNames == ["social", "messaging", "gaming", "other"])
        #expect(config.taxonomy.label("sextortion.payment", in: .nl) == "Afpersing: betaalverzoek")
        #expect(config.taxonomy.label("grooming", in: .en) == "grooming")
        #expect(config.sources == ["webfilter"])
        #expect(config.rules.count == 2)
        let acute = config.rules[0]
        #expect(acute.kind == .threshold(window: .day))
        #expect(acute.groupBy == [.site, .channel])
        #expect(acute.severity == .high)
        #expect(acute.matches(category: "sextortion.threat"))
        #expect(!acute.matches(category: "grooming"))
        #expect(config.rules[1].kind == .rise(baselineWeeks: 6, factor: 2.0))
        #expect(config.rules[1].window == .week)
        #expect(config.delivery.email.caFile == nil)
        #expect(config.delivery.email.username == nil)
    }

    @Test func devConfigIsTheExampleWithLocalPaths() throws {
        func load(_ file: String) throws -> Configuration {
            let url = Golden.repositoryRoot.appendingPathComponent("Config/\(file)")
            return try #require(decode(Golden.madeLive(try String(contentsOf: url, encoding: .utf8))).0)
        }
        let example = try load("vertrouwd.toml")
        let dev = try load("vertrouwd.dev.toml")
        #expect(dev.taxonomy == example.taxonomy)
        #expect(dev.rules == example.rules)
        // The dev config also turns on what the example has as comments:
        // the help page's source and an adapter's (issue 14).
        #expect(dev.sources == example.sources + ["helppage", "dns"])
        #expect(dev.recipients == example.recipients)
        #expect(dev.privacy == example.privacy)
        for path in [dev.spool.path, dev.state.path, dev.delivery.socketPath ?? "", dev.submit.socketPath ?? ""] {
            #expect(path.hasPrefix(".run/"), "\(path)")
        }
        #expect(dev.delivery.email.mode == .off)
    }

    @Test func recipientLanguageDefaultsToTheSchools() throws {
        let text = minimalConfig.replacingOccurrences(of: "name = \"Testschool\"", with: "name = \"Testschool\"\nlanguage = \"en\"")
        let config = try #require(decode(text).0)
        #expect(config.recipients[0].language == .en)
    }

    @Test func recipientWithoutEmailIsFineWhenTheSocketIsSet() throws {
        let text = minimalConfig.replacingOccurrences(of: "email = \"vp@school.nl\"\n", with: "")
            + "\n[delivery.socket]\npath = \"/run/vertrouwd/alerts.sock\"\n"
        let config = try #require(decode(text).0)
        #expect(config.recipients[0].email == nil)
        #expect(config.delivery.socketPath == "/run/vertrouwd/alerts.sock")
    }

    @Test func emailModeOffNeedsNoSender() throws {
        let text = minimalConfig.replacingOccurrences(of: "from = \"vertrouwd@school.nl\"", with: "mode = \"off\"")
            + "\n[delivery.socket]\npath = \"/run/a.sock\"\n"
        #expect(decode(text).0 != nil)
    }

    @Test func cohortsMayBeAPlainListWithoutGroups() throws {
        let text = minimalConfig.replacingOccurrences(
            of: "categories = [\"grooming\", \"sextortion.threat\", \"sextortion.payment\"]",
            with: "categories = [\"grooming\"]\ncohorts = [\"klas-1\", \"klas-2\"]")
        let config = try #require(decode(text).0)
        #expect(config.taxonomy.cohorts.values == ["klas-1", "klas-2"])
        #expect(!config.taxonomy.cohorts.isGrouped)
        // …but then no rule may group by cohort_group.
        let grouped = text + "\n[[rule]]\nname = \"r\"\nmatch = [\"grooming\"]\ngroup_by = [\"cohort_group\"]\n"
        let (c, diagnostics) = decode(grouped)
        #expect(c == nil)
        #expect(diagnostics.map(\.message) == ["\"cohort_group\" needs groups in [taxonomy.cohorts]"])
    }

    @Test func riseFactorMayBeWrittenAsAnInteger() throws {
        let text = minimalConfig + "\n[[rule]]\nname = \"r\"\nkind = \"rise\"\nmatch = [\"grooming\"]\nfactor = 3\n"
        let config = try #require(decode(text).0)
        #expect(config.rules[0].kind == .rise(baselineWeeks: 6, factor: 3.0))
        #expect(config.rules[0].minCount == 5, "min_count defaults to k")
    }

    @Test func aSyntaxErrorInAKeyDoesNotAlsoReportItMissing() {
        let text = minimalConfig.replacingOccurrences(of: "name = \"Testschool\"", with: "name = \"Testschool")
        let (c, diagnostics) = decode(text)
        #expect(c == nil)
        #expect(diagnostics.count == 1, "\(diagnostics.map(\.message))")
    }

    @Test func everyErrorIsReportedInOneRun() {
        let text = minimalConfig + """

            [privacy]
            min_group_size = 2
            round_to = 0

            [alerts]
            evaluate_every = "7m"

            [summary]
            schedule = "sunday"
            """
        let (c, diagnostics) = decode(text)
        #expect(c == nil)
        #expect(diagnostics.compactMap(\.position?.line) == [18, 19, 22, 25])
    }

    @Test func retentionMustCoverTheTrendAndRiseBaselines() {
        let text = minimalConfig + "\n[state]\nretention_weeks = 4\n\n[[rule]]\nname = \"r\"\nkind = \"rise\"\nmatch = [\"grooming\"]\nbaseline_weeks = 10\n"
        let (c, diagnostics) = decode(text)
        #expect(c == nil)
        #expect(diagnostics.map(\.message) == ["\"retention_weeks\" (4) must be at least 11"])
    }

    @Test func authOverAPlainConnectionToAnotherHostIsAWarning() throws {
        var fs = InMemoryConfigFileSystem()
        fs.add("/etc/pw", "secret", mode: 0o600)
        let text = minimalConfig + "relay = \"smtp.school.nl:587\"\nstarttls = \"off\"\nusername = \"u\"\npassword_file = \"/etc/pw\"\n"
        let checked = ConfigLoader(fileSystem: fs).check(bytes: Array(text.utf8), file: "t.toml")
        #expect(checked.configuration != nil)
        #expect(checked.diagnostics.map(\.severity) == [.warning])
    }

    @Test(arguments: [(0o600 as UInt32, true), (0o640, true), (0o400, true), (0o644, false), (0o660, false), (0o604, false), (0o740, false)])
    func passwordFileModes(mode: UInt32, accepted: Bool) {
        var fs = InMemoryConfigFileSystem()
        fs.add("/etc/pw", "secret", mode: mode)
        let text = minimalConfig + "username = \"u\"\npassword_file = \"/etc/pw\"\n"
        let checked = ConfigLoader(fileSystem: fs).check(bytes: Array(text.utf8), file: "t.toml")
        #expect((checked.configuration != nil) == accepted, "mode \(String(mode, radix: 8))")
    }

    @Test func unreadableConfigIsNotAConfigError() {
        let loader = ConfigLoader(fileSystem: InMemoryConfigFileSystem())
        guard case .unreadable(let error) = loader.load(path: "/nope.toml") else {
            Issue.record("a missing file must be unreadable")
            return
        }
        #expect(error.description == "cannot read /nope.toml: No such file or directory")
    }
}
