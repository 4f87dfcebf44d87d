import Testing
import VertrouwdCore

@Suite("Signal validation (DESIGN §2)")
struct SignalValidatorTests {
    @Test func designExampleIsAccepted() throws {
        let signal = try #require(Fixture.signal(Fixture.example))
        #expect(signal == Signal(
            id: "01JDQ3X7Z8K2M4N6P8R0T2V4W6", timestamp: 1_795_943_700, source: "webfilter",
            category: "sextortion.payment", site: "hoofdgebouw", cohort: "klas-4", channel: "instagram",
            severity: .high, count: 1))
    }

    @Test func crlfLineIsAccepted() {
        #expect(Fixture.signal(Fixture.example + "\r") != nil)
        #expect(Fixture.signal(" \t" + Fixture.example + " \r") != nil)
    }

    @Test func byteOverloadsAgree() {
        let bytes = Array(Fixture.example.utf8)
        let a = Fixture.validator.validate(line: bytes, now: Fixture.now)
        let b = Fixture.validator.validate(line: bytes[...], now: Fixture.now)
        let c = bytes.withUnsafeBytes { Fixture.validator.validate(line: $0, now: Fixture.now) }
        #expect(a == b && b == c)
        #expect((try? a.get()) != nil)
    }

    @Test func optionalFieldsDefault() throws {
        let signal = try #require(Fixture.signal(Fixture.line()))
        #expect(signal.site == nil && signal.cohort == nil && signal.channel == nil)
        #expect(signal.count == 1)
        #expect(signal.severity == .medium)
        #expect(signal.timestamp == 1_795_942_800)
        let threat = try #require(Fixture.signal(Fixture.line(category: #""sextortion.threat""#)))
        #expect(threat.severity == .high)
        let shared = try #require(Fixture.signal(Fixture.line(category: #""image.shared""#)))
        #expect(shared.severity == .high)
        let low = try #require(Fixture.signal(Fixture.line(category: #""image.shared""#, extra: [#""severity":"low""#])))
        #expect(low.severity == .low)
    }

    @Test func defaultSeverityRule() {
        #expect(Taxonomy.defaultSeverity(of: "sextortion.payment") == .high)
        #expect(Taxonomy.defaultSeverity(of: "sextortion.anything") == .high)
        #expect(Taxonomy.defaultSeverity(of: "image.shared") == .high)
        #expect(Taxonomy.defaultSeverity(of: "image.request") == .medium)
        #expect(Taxonomy.defaultSeverity(of: "grooming") == .medium)
        #expect(Taxonomy.defaultSeverity(of: "sextortion") == .medium)
    }

    @Test func blankLines() {
        #expect(SignalValidator.isBlank(Array("".utf8)))
        #expect(SignalValidator.isBlank(Array(" \t\r".utf8)))
        #expect(!SignalValidator.isBlank(Array(" {".utf8)))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var line: String
        var reason: RejectReason
        var field: String?
        var testDescription: String { "\(reason.rawValue) \(field ?? "-")" }
        init(_ line: String, _ reason: RejectReason, _ field: String? = nil) {
            self.line = line
            self.reason = reason
            self.field = field
        }
    }

    static let cases: [Case] = [
        Case(#"{"v":1,"id":"sig-0001-abcd""#, .malformedJSON),
        Case(#"{"v":01,"id":"sig-0001-abcd"}"#, .malformedJSON),
        Case(#"{v:1}"#, .malformedJSON),
        Case(#"{"v":1,}"#, .malformedJSON),
        Case(#"{"v":1 "id":"x"}"#, .malformedJSON),
        Case(#"{"v":1,"id":"a\qb"}"#, .malformedJSON, "id"),
        Case("{\"v\":1,\"id\":\"a\tb\"}", .malformedJSON, "id"),
        Case(#"{"v":1,"id":"\ud83d"}"#, .malformedJSON, "id"),
        Case(#"{"v":1,"id":"\ude00abc"}"#, .malformedJSON, "id"),
        Case(#"{"v":tru}"#, .malformedJSON, "v"),
        Case(#"{"v":-}"#, .malformedJSON, "v"),
        Case(#"{"v":1.}"#, .malformedJSON, "v"),
        Case("hello", .malformedJSON),
        Case(#"[1,2]"#, .notAnObject),
        Case(#""signal""#, .notAnObject),
        Case("42", .notAnObject),
        Case(Fixture.line() + "{}", .trailingData),
        Case(Fixture.line() + " x", .trailingData),
        Case(Fixture.line(extra: [#""site":"# + String(repeating: "[", count: 17) + String(repeating: "]", count: 17)]),
             .tooDeep, "site"),
        Case(Fixture.line(extra: [#""category":"grooming""#]), .duplicateField, "category"),
        Case(Fixture.line(extra: [#""note":"ok""#]), .unknownField),
        Case(Fixture.line(extra: [#""V":1"#]), .unknownField),
        Case(#"{"v":1,"id":"sig-0001-abcd","ts":"2026-11-29T09:00:00Z","source":"chatguard"}"#, .missingField, "category"),
        Case(#"{"id":"sig-0001-abcd","ts":"2026-11-29T09:00:00Z","source":"chatguard","category":"grooming"}"#, .missingField, "v"),
        Case("{}", .missingField, "v"),
        Case(Fixture.line(extra: [#""count":"3""#]), .wrongType, "count"),
        Case(Fixture.line(extra: [#""count":1.0"#]), .wrongType, "count"),
        Case(Fixture.line(extra: [#""count":1e2"#]), .wrongType, "count"),
        Case(Fixture.line(extra: [#""site":null"#]), .wrongType, "site"),
        Case(Fixture.line(extra: [#""site":["hoofdgebouw"]"#]), .wrongType, "site"),
        Case(Fixture.line(extra: [#""severity":true"#]), .wrongType, "severity"),
        Case(Fixture.line(id: "12345678"), .wrongType, "id"),
        Case(#"{"v":"1","id":"sig-0001-abcd"}"#, .wrongType, "v"),
        Case(#"{"v":2,"id":"sig-0001-abcd","ts":"2026-11-29T09:00:00Z","source":"chatguard","category":"grooming"}"#, .badVersion, "v"),
        Case(#"{"v":1.5}"#, .wrongType, "v"),
        Case(Fixture.line(id: #""short""#), .badID, "id"),
        Case(Fixture.line(id: #""abc/defgh""#), .badID, "id"),
        Case(Fixture.line(id: "\"" + String(repeating: "a", count: 65) + "\""), .badID, "id"),
        Case(Fixture.line(id: #""\ud83d\ude00abcdefgh""#), .badID, "id"),
        Case(Fixture.line(ts: #""2026-02-30T09:00:00Z""#), .badTimestamp, "ts"),
        Case(Fixture.line(ts: #""2026-11-29T09:00:00""#), .badTimestamp, "ts"),
        Case(Fixture.line(ts: #""2026-11-29 09:00:00Z""#), .badTimestamp, "ts"),
        Case(Fixture.line(ts: #""2026-11-29T09:25:01Z""#), .fromFuture, "ts"),
        Case(Fixture.line(ts: #""2026-11-22T09:19:59Z""#), .tooOld, "ts"),
        Case(Fixture.line(source: #""printer""#), .unknownSource, "source"),
        Case(Fixture.line(category: #""sextortion""#), .unknownCategory, "category"),
        Case(Fixture.line(extra: [#""site":"bijgebouw""#]), .unknownSite, "site"),
        Case(Fixture.line(extra: [#""cohort":"bovenbouw""#]), .unknownCohort, "cohort"),
        Case(Fixture.line(extra: [#""channel":"Instagram""#]), .unknownChannel, "channel"),
        Case(Fixture.line(extra: [#""severity":"urgent""#]), .badSeverity, "severity"),
        Case(Fixture.line(extra: [#""severity":"HIGH""#]), .badSeverity, "severity"),
        Case(Fixture.line(extra: [#""count":0"#]), .badCount, "count"),
        Case(Fixture.line(extra: [#""count":1001"#]), .badCount, "count"),
        Case(Fixture.line(extra: [#""count":-1"#]), .badCount, "count"),
        Case(Fixture.line(extra: [#""count":-0"#]), .badCount, "count"),
        Case(Fixture.line(extra: [#""subject":"too-short""#]), .badSubject, "subject"),
        Case(Fixture.line(extra: [#""subject":"with.a.dot.is.not.ok""#]), .badSubject, "subject"),
        Case("{\"v\":1\u{0}}", .nulByte),
        // First field error in line order wins.
        Case(Fixture.line(source: #""printer""#, category: #""nope""#), .unknownSource, "source"),
    ]

    @Test(arguments: cases) func rejects(_ c: Case) {
        let rejection = Fixture.rejection(c.line)
        #expect(rejection == SignalRejection(c.reason, field: c.field))
    }

    @Test func everyNonPIIReasonIsCovered() {
        // missing_subject needs a source that requires subjects: SignalSubjectTests.
        let covered = Set(Self.cases.map(\.reason)).union([.lineTooLong, .notUTF8, .missingSubject])
        let expected = Set(RejectReason.allCases.filter { !$0.isPII })
        #expect(covered == expected)
    }

    @Test func lineTooLong() {
        let line = Fixture.line(extra: [#""site":"hoofdgebouw""#]) + String(repeating: " ", count: 9_000)
        #expect(Fixture.rejection(line) == SignalRejection(.lineTooLong))
    }

    @Test func notUTF8() {
        var bytes = Array(Fixture.line().utf8)
        bytes.insert(0xFF, at: 20)
        #expect(Fixture.validator.validate(line: bytes, now: Fixture.now) == .failure(SignalRejection(.notUTF8)))
        // An encoded surrogate (CESU) and an overlong slash are not UTF-8 either.
        for bad: [UInt8] in [[0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80]] {
            var line = Array(#"{"v":1,"id":""#.utf8)
            line += bad + Array(#""}"#.utf8)
            #expect(Fixture.validator.validate(line: line, now: Fixture.now) == .failure(SignalRejection(.notUTF8)))
        }
    }

    @Test func surrogatePairsAndEscapedKeys() throws {
        let signal = try #require(Fixture.signal(#"{"\u0076":1,"id":"sig-0001-abcd","ts":"2026-11-29T09:00:00Z","source":"chat\u0067uard","category":"grooming"}"#))
        #expect(signal.source == "chatguard")
        // A pair decodes to one scalar: the id is then well-formed JSON but not a valid id.
        #expect(Fixture.rejection(Fixture.line(id: #""\uD83D\uDE00-abcdefgh""#)) == SignalRejection(.badID, field: "id"))
        // Reversed pair.
        #expect(Fixture.rejection(Fixture.line(id: #""\uDE00\uD83D-abcdefgh""#)) == SignalRejection(.malformedJSON, field: "id"))
    }

    @Test func nestedValuesAreWalked() {
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":{"a":[1,{"b":null}],"c":"d"}"#])) == SignalRejection(.wrongType, field: "site"))
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":{"a":[1,{"b":null}"#])) == SignalRejection(.malformedJSON, field: "site"))
        let deep = String(repeating: "[", count: 16) + String(repeating: "]", count: 16)
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"# + deep])) == SignalRejection(.wrongType, field: "site"))
        let veryDeep = String(repeating: "[", count: 100_000)
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"# + veryDeep])) == SignalRejection(.lineTooLong))
        let deepButShort = String(repeating: "[", count: 4_000)
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"# + deepButShort])) == SignalRejection(.tooDeep, field: "site"))
    }

    @Test(arguments: [0, 1, 500, 999, 1000]) func countBounds(_ n: Int) throws {
        let signal = try #require(Fixture.signal(Fixture.line(extra: [#""count":\#(max(n, 1))"#])))
        #expect(signal.count == max(n, 1))
    }

    @Test func maxFutureAndMaxAgeBoundaries() {
        #expect(Fixture.signal(Fixture.line(ts: #""2026-11-29T09:25:00Z""#))?.timestamp == Fixture.now + 300)
        #expect(Fixture.rejection(Fixture.line(ts: #""2026-11-29T09:25:01Z""#))?.reason == .fromFuture)
        #expect(Fixture.signal(Fixture.line(ts: #""2026-11-22T09:20:00Z""#))?.timestamp == Fixture.now - 604_800)
        #expect(Fixture.rejection(Fixture.line(ts: #""2026-11-22T09:19:59Z""#))?.reason == .tooOld)
        // The same instants written with an offset.
        #expect(Fixture.signal(Fixture.line(ts: #""2026-11-29T10:25:00+01:00""#)) != nil)
        #expect(Fixture.rejection(Fixture.line(ts: #""2026-11-29T10:25:01+01:00""#))?.reason == .fromFuture)
    }

    @Test func vocabularyValuesAreExemptFromTheBareDomainRule() {
        let taxonomy = Taxonomy(
            categories: Vocabulary(["grooming"]), sites: Vocabulary(["lyceum.nl"]),
            cohorts: Vocabulary([]), channels: Vocabulary([]))
        let validator = SignalValidator(taxonomy: taxonomy, sources: ["chatguard"], ingest: IngestSettings())
        let accepted = validator.validate(line: Fixture.line(extra: [#""site":"lyceum.nl""#]), now: Fixture.now)
        #expect((try? accepted.get())?.site == "lyceum.nl")
        // Only for the exact value; and only that rule.
        let other = validator.validate(line: Fixture.line(extra: [#""site":"college.nl""#]), now: Fixture.now)
        #expect(other == .failure(SignalRejection(.piiURL, field: "site")))
    }

    /// A configured value is scanned once, when the validator is made
    /// (`ByteVocabulary`): one that carries PII (an admin's mistake) is
    /// still rejected in every signal, with the verdict a scan of the
    /// value itself gives, and the bare-domain exemption still holds.
    @Test func aConfiguredValueGetsTheVerdictOfAScanOfItself() {
        let risky = ["jan@example.nl", "06-12345678", "www.school.nl", "NL91ABNA0417164300", "12345678", "lyceum.nl", "@jan_4b"]
        let taxonomy = Taxonomy(
            categories: Vocabulary(["grooming"]), sites: Vocabulary(risky + ["hoofdgebouw"]),
            cohorts: Vocabulary([]), channels: Vocabulary([]))
        let validator = SignalValidator(taxonomy: taxonomy, sources: ["chatguard"], ingest: IngestSettings())
        for value in risky + ["hoofdgebouw"] {
            let result = validator.validate(line: Fixture.line(extra: [#""site":"\#(value)""#]), now: Fixture.now)
            if let hit = PIIGate.scan(value, digitsRule: true, isVocabularyValue: true) {
                #expect(result == .failure(SignalRejection(hit.reason, field: "site")), "\(value)")
            } else {
                #expect((try? result.get())?.site == value, "\(value)")
            }
        }
        #expect(PIIGate.scan("jan@example.nl", isVocabularyValue: true) == .email, "the list above does hold hits")
    }

    /// Hundreds of sites of one length (`locatie-000` …): each is found as
    /// itself, and a near miss is not found.
    @Test func manyValuesOfOneLengthAreEachFound() {
        let sites = (0..<300).map { String(format: "locatie-%03d", $0) }
        let taxonomy = Taxonomy(
            categories: Vocabulary(["grooming"]), sites: Vocabulary(sites),
            cohorts: Vocabulary([]), channels: Vocabulary([]))
        let validator = SignalValidator(taxonomy: taxonomy, sources: ["chatguard"], ingest: IngestSettings())
        for site in sites {
            let signal = try? validator.validate(line: Fixture.line(extra: [#""site":"\#(site)""#]), now: Fixture.now).get()
            #expect(signal?.site == site)
        }
        for miss in ["locatie-300", "locatie-00", "Locatie-000", "locatie-0000", ""] {
            let result = validator.validate(line: Fixture.line(extra: [#""site":"\#(miss)""#]), now: Fixture.now)
            #expect(result == .failure(SignalRejection(.unknownSite, field: "site")), "\(miss)")
        }
    }

    @Test func descriptionIsReasonAndField() {
        #expect(SignalRejection(.badCount, field: "count").description == "bad_count (field count)")
        #expect(SignalRejection(.unknownField).description == "unknown_field")
        #expect(SignalRejection(.piiEmail, field: "site").isPII)
        #expect(!SignalRejection(.badCount).isPII)
        #expect(RejectReason.allCases.filter(\.isPII).count == 9)
        #expect(PIIDetector.allCases.allSatisfy { $0.reason.isPII })
    }

    @Test func piiWinsOverEverythingElse() {
        // Over a vocabulary miss.
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"jan@example.nl""#])) == SignalRejection(.piiEmail, field: "site"))
        // Over an earlier field error.
        #expect(Fixture.rejection(Fixture.line(source: #""printer""#, extra: [#""cohort":"06-12345678""#])) == SignalRejection(.piiPhone, field: "cohort"))
        // An unknown key is scanned, and never named.
        #expect(Fixture.rejection(Fixture.line(extra: [#""jan@example.nl":1"#])) == SignalRejection(.piiEmail))
        // Inside nested values.
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":{"x":["NL91ABNA0417164300"]}"#])) == SignalRejection(.piiIBAN, field: "site"))
        // In number literals.
        #expect(Fixture.rejection(Fixture.line(extra: [#""count":612345678"#])) == SignalRejection(.piiDigits, field: "count"))
        // In a malformed line (raw scan, no field).
        #expect(Fixture.rejection(#"{"v":1,"site":"+31 6 1234 5678"#) == SignalRejection(.piiPhone))
        #expect(Fixture.rejection(#"{"v":0612345678}"#) == SignalRejection(.piiPhone))
        // Values read before the line turns out to be malformed keep their field.
        #expect(Fixture.rejection(#"{"v":1,"site":"jan\u0040example.nl""#) == SignalRejection(.piiEmail, field: "site"))
        // Hidden behind escapes in a malformed line (raw scan).
        #expect(Fixture.rejection(#"{"v":1,"site":"jan\u0040example.nl"#) == SignalRejection(.piiEmail))
        #expect(Fixture.rejection(#"{"v":1,"site":"https:\/\/x.example"#) == SignalRejection(.piiURL))
        // Behind escapes in a well-formed line.
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"jan\u0040example.nl""#])) == SignalRejection(.piiEmail, field: "site"))
        // In a line that is not UTF-8 or too long.
        var bytes = Array(Fixture.line(extra: [#""site":"jan@example.nl""#]).utf8)
        bytes.insert(0xFF, at: 3)
        #expect(Fixture.validator.validate(line: bytes, now: Fixture.now) == .failure(SignalRejection(.piiEmail)))
        #expect(Fixture.rejection(Fixture.line(extra: [#""site":"192.168.1.20""#]) + String(repeating: " ", count: 9_000)) == SignalRejection(.piiIP))
        // The digits rule does not apply to id and ts, the other detectors do.
        #expect(Fixture.signal(Fixture.line(id: #""evt-20261129-12345678901""#)) != nil)
        #expect(Fixture.rejection(Fixture.line(id: #""jan@example.nl""#)) == SignalRejection(.piiEmail, field: "id"))
        #expect(Fixture.rejection(Fixture.line(id: #""tel-0612345678""#)) == SignalRejection(.piiPhone, field: "id"))
        #expect(Fixture.rejection(Fixture.line(id: #""bsn-111222333""#)) == SignalRejection(.piiBSN, field: "id"))
        #expect(Fixture.rejection(Fixture.line(ts: #""0612345678""#)) == SignalRejection(.piiPhone, field: "ts"))
        #expect(Fixture.rejection(Fixture.line(ts: #""2026-11-29T09:00:00.123456789012Z""#)) == nil)
    }
}

@Suite("RFC 3339")
struct RFC3339Tests {
    @Test func parsesToEpochSeconds() {
        #expect(RFC3339.epochSeconds("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.epochSeconds("2026-11-29T10:15:00+01:00") == 1_795_943_700)
        #expect(RFC3339.epochSeconds("2026-11-29T09:15:00Z") == 1_795_943_700)
        #expect(RFC3339.epochSeconds("2026-11-29t09:15:00z") == 1_795_943_700)
        #expect(RFC3339.epochSeconds("2026-11-29T09:15:00.999999Z") == 1_795_943_700)
        #expect(RFC3339.epochSeconds("2026-11-29T09:15:00.5+00:00") == 1_795_943_700)
        #expect(RFC3339.epochSeconds("2026-11-29T09:15:00-00:00") == 1_795_943_700)
        #expect(RFC3339.epochSeconds("2026-11-29T23:15:00+14:00") == 1_795_943_700)
        #expect(RFC3339.epochSeconds("2026-11-28T21:15:00-12:00") == 1_795_943_700)
        #expect(RFC3339.epochSeconds("1969-12-31T23:59:59Z") == -1)
    }

    @Test func leapYears() {
        #expect(RFC3339.epochSeconds("2028-02-29T12:00:00Z") == 1_835_438_400)
        #expect(RFC3339.epochSeconds("2000-02-29T00:00:00Z") != nil)
        #expect(RFC3339.epochSeconds("2027-02-29T00:00:00Z") == nil)
        #expect(RFC3339.epochSeconds("1900-02-29T00:00:00Z") == nil)
        #expect(RFC3339.epochSeconds("2026-02-30T00:00:00Z") == nil)
        #expect(RFC3339.epochSeconds("2026-04-31T00:00:00Z") == nil)
        #expect(RFC3339.epochSeconds("2026-12-31T23:59:59Z") != nil)
    }

    @Test(arguments: [
        "2026-11-29T09:15:00", "2026-11-29T09:15:00+0100", "2026-11-29T09:15:00+01", "2026-11-29T09:15:00+01:00:00",
        "2026-11-29T24:00:00Z", "2026-11-29T09:60:00Z", "2026-11-29T09:15:60Z", "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-29T09:15:00.Z", "2026-11-29T09:15Z",
        "26-11-29T09:15:00Z", "2026-11-29T09:15:00+24:00", "2026-11-29T09:15:00+01:60", "2026-11-29T09:15:00 Z",
        "+2026-11-29T09:15:00Z", "2026-11-29T09:15:00ZZ", "", "2026-1a-29T09:15:00Z", "2026-11-29X09:15:00Z",
    ])
    func rejects(_ text: String) {
        #expect(RFC3339.epochSeconds(text) == nil)
    }
}
