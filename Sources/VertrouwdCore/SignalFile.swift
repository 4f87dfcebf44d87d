#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A spool file's content, line by line: the signals that passed and the
/// lines that did not (DESIGN §3: valid lines of a partly bad file count,
/// bad lines are recorded in the quarantine by reason, number and keyed
/// hash — never by content).
///
/// Pure: the spool layer reads the bytes, this decides.
public struct SignalFile: Sendable {
    /// A line that was rejected, with its 1-based number.
    public struct RejectedLine: Hashable, Sendable {
        public var number: Int
        public var rejection: SignalRejection
        /// Where the line is in the file's bytes, without its line ending:
        /// the quarantine hashes it with a key and keeps nothing else of it.
        /// No copy of a rejected line's content is made here.
        public var span: Range<Int>
    }

    /// The accepted signals, packed: their values are numbers in
    /// `vocabulary`, their ids and subjects bytes in `text`.
    public private(set) var packed: [PackedSignal] = []
    public private(set) var text: [UInt8] = []
    public let vocabulary: SignalVocabulary
    public var rejected: [RejectedLine] = []

    /// The accepted signals.
    public var signals: [Signal] { packed.map { vocabulary.signal($0, text: text) } }

    /// Splits `bytes` at `\n` (a `\r` before it is allowed), skips blank
    /// lines, and validates every other line at `now` (UTC epoch seconds).
    public init(bytes: [UInt8], validator: SignalValidator, now: Int64) {
        vocabulary = validator.vocabulary
        bytes.withUnsafeBytes { all in
            // Sized once for every line: grown by doubling, the array of
            // signals was copied into fresh pages about twice over (`make
            // bench` 8). The text of a line (its id and subject) is far
            // less than a quarter of it.
            packed.reserveCapacity(Self.lineCount(all))
            text.reserveCapacity(all.count / 4)
            var start = 0
            var number = 0
            while start < all.count {
                number += 1
                let end = Self.lineEnd(all, from: start)
                let line = UnsafeRawBufferPointer(rebasing: all[start..<end])
                if !SignalValidator.isBlank(line) {
                    switch validator.validate(line: line, now: now, text: &text) {
                    case .success(let signal):
                        packed.append(signal)
                    case .failure(let rejection):
                        let stop = end > start && all[end - 1] == 0x0D ? end - 1 : end
                        rejected.append(RejectedLine(number: number, rejection: rejection, span: start..<stop))
                    }
                }
                start = end + 1
            }
        }
    }

    /// The number of lines (the last one may lack its `\n`).
    static func lineCount(_ all: UnsafeRawBufferPointer) -> Int {
        var lines = 0
        var start = 0
        while start < all.count {
            lines += 1
            start = lineEnd(all, from: start) + 1
        }
        return lines
    }

    /// Where the line from `start` ends: its `\n`, or the end of `all`.
    /// memchr finds it a vector at a time.
    static func lineEnd(_ all: UnsafeRawBufferPointer, from start: Int) -> Int {
        memchr(all.baseAddress! + start, 0x0A, all.count - start).map { UnsafeRawPointer($0) - all.baseAddress! } ?? all.count
    }

    /// How many signals the accepted lines stand for (each with its count).
    public var signalCount: Int { packed.reduce(0) { $0 + Int($1.count) } }

    /// The file without its accepted signals (what a log line needs).
    public func withoutSignals() -> SignalFile {
        var file = self
        file.packed = []
        file.text = []
        return file
    }
}
