import PropertyBased
import Testing
import VertrouwdCore

@Suite("Signal properties (P1, P2)")
struct SignalPropertyTests {
    /// Valid signals are accepted and decode to what was generated: the PII
    /// gate has no false positives on them, including digit-heavy ids.
    @Test func validSignalsAreAccepted() async {
        await propertyCheck(count: 2_000, input: SignalGen.validSignal) { generated in
            let result = Fixture.validate(generated.line)
            #expect(result == .success(generated.expected), "\(generated.line)")
        }
    }

    /// Packing keeps the signal (`PackedSignal`): lines validated one after
    /// another into one text, as a spool file's are, each pack exactly the
    /// signal `validate(line:now:)` returns, and a rejected line (here one
    /// in three, damaged) leaves the text as it was.
    @Test func packedSignalsAreTheSignalsValidated() async {
        let input = zip(SignalGen.validSignal.array(of: 1...12), Gen.int(in: 0...1_000).array(of: 12))
        await propertyCheck(count: 500, input: input) { signals, damage in
            var text: [UInt8] = []
            var packed: [PackedSignal] = []
            var expected: [Signal] = []
            for (i, generated) in signals.enumerated() {
                var bytes = Array(generated.line.utf8)
                if damage[i] % 3 == 0 { bytes.remove(at: damage[i] % bytes.count) }
                let before = text
                let result = bytes.withUnsafeBytes { Fixture.validator.validate(line: $0, now: Fixture.now, text: &text) }
                switch (result, Fixture.validator.validate(line: bytes, now: Fixture.now)) {
                case (.success(let p), .success(let signal)):
                    packed.append(p)
                    expected.append(signal)
                case (.failure(let a), .failure(let b)):
                    #expect(a == b)
                    #expect(text == before, "a rejected line leaves the text as it was")
                default:
                    Issue.record("packed and plain validation disagree on \(String(decoding: bytes, as: UTF8.self))")
                }
            }
            #expect(packed.map { Fixture.validator.vocabulary.signal($0, text: text) } == expected)
        }
    }

    /// A PII item in any string field (or as an unknown key, or inside a
    /// nested value) rejects the line with a PII reason.
    @Test func piiInAnyFieldIsRejected() async {
        let places = ["id", "ts", "source", "category", "site", "cohort", "channel", "severity", "key", "extra", "nested"]
        let input = zip(SignalGen.validSignal, PIIGen.item, Gen.element(of: places), Gen.int(in: 0...3))
        await propertyCheck(count: 1_000, input: input) { signal, item, place, wrap in
            // The digits rule does not apply to id and ts; the 8+-digit item is
            // then only caught when it happens to be a BSN or phone number.
            if item.detector == .digits && (place == "id" || place == "ts") { return }
            let value = [item.text, "x " + item.text, item.text + " y", "(" + item.text + ")"][wrap]
            let line: String
            switch place! {
            case "key": line = Fixture.line(extra: [#""\#(value)":1"#])
            case "extra": line = Fixture.line(extra: [#""note":"\#(value)""#])
            case "nested": line = Fixture.line(extra: [#""site":["hoofdgebouw",{"a":"\#(value)"}]"#])
            case let field:
                line = replacing(field, in: signal.line, with: value)
            }
            let rejection = Fixture.rejection(line)
            #expect(rejection?.isPII == true, "\(item) in \(place!): \(line) → \(String(describing: rejection))")
        }
    }

    /// Random bytes, and valid lines with random damage, never crash and
    /// always produce a result.
    @Test func randomBytesNeverCrash() async {
        let bytes = Gen<UInt8>.value(in: 0...255).array(of: 0...300)
        await propertyCheck(count: 3_000, input: bytes) { bytes in
            _ = Fixture.validator.validate(line: bytes, now: Fixture.now)
            _ = PIIGate.scan(String(decoding: bytes, as: UTF8.self))
            _ = bytes.withUnsafeBytes { PIIGate.scanRawLine($0) }
        }
        let damaged = zip(SignalGen.validSignal, Gen.int(in: 0...1_000).array(of: 1...6), Gen<UInt8>.value(in: 0...255).array(of: 6))
        await propertyCheck(count: 3_000, input: damaged) { signal, positions, replacements in
            var bytes = Array(signal.line.utf8)
            for (p, r) in zip(positions, replacements) where !bytes.isEmpty {
                let i = p % bytes.count
                switch r % 3 {
                case 0: bytes[i] = r
                case 1: bytes.insert(r, at: i)
                default: bytes.remove(at: i)
                }
            }
            _ = Fixture.validator.validate(line: bytes, now: Fixture.now)
        }
    }

    /// A rejection's description is built from fixed text only: no four-
    /// character piece of any value in the line shows up in it (pieces that
    /// are themselves part of the fixed reason and field names excepted).
    @Test func rejectionsNeverEchoValues() async {
        let fixedText = RejectReason.allCases.map(\.rawValue).joined(separator: " ")
            + " (field v id ts source category site cohort channel severity count)"
        let input = zip(SignalGen.validSignal, PIIGen.item, Gen.element(of: ["site", "cohort", "id", "source", "severity"]),
                        Gen.letterOrNumber.string(of: 4...20))
        await propertyCheck(count: 1_000, input: input) { signal, item, field, junk in
            let value = Bool.random() ? item.text : junk
            let line = replacing(field!, in: signal.line, with: value)
            guard case .failure(let rejection) = Fixture.validate(line) else { return }
            let description = String(describing: rejection)
            #expect(description == rejection.reason.rawValue || description == "\(rejection.reason.rawValue) (field \(rejection.field ?? ""))")
            for piece in substrings(of: value, length: 4) where !fixedText.contains(piece) {
                #expect(!description.contains(piece), "\(value) → \(description)")
            }
        }
    }
}

/// `line` with `field`'s value replaced by the string `value` (added when
/// the field is absent).
func replacing(_ field: String, in line: String, with value: String) -> String {
    var line = line.hasSuffix("\r") ? String(line.dropLast()) : line
    let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    if let keyRange = line.range(of: "\"\(field)\":") {
        var i = keyRange.upperBound
        while line[i] == " " { i = line.index(after: i) }
        var end = line.index(after: i)
        if line[i] == "\"" {
            while line[end] != "\"" { end = line.index(after: end) }
            end = line.index(after: end)
        } else {
            while line[end] != "," && line[end] != "}" && line[end] != " " { end = line.index(after: end) }
        }
        line.replaceSubrange(i..<end, with: "\"\(escaped)\"")
        return line
    }
    line.removeLast()
    return line + ",\"\(field)\":\"\(escaped)\"}"
}
