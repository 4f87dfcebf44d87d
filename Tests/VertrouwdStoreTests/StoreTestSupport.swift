import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdStore

#if canImport(Glibc)
import Glibc
#endif

/// A fresh folder per test, removed afterwards.
final class Scratch: Sendable {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "vertrouwd-store-\(UUID().uuidString)"
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    var db: String { path + "/state/state.db" }
}

/// The implementations the contract tests run against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, memory

    var testDescription: String { rawValue }

    /// A new, empty store created at `now`; the SQLite one in `scratch`
    /// (which the caller keeps until the test ends).
    func make(in scratch: Scratch, now: Int64 = 1_000) throws -> any StateStore {
        switch self {
        case .sqlite: try SignalStore(path: scratch.db, now: now)
        case .memory: MemoryStore(now: now)
        }
    }
}

extension StateStore {
    /// Prepares and commits files as the ingest loop does; the outcomes.
    func count(_ files: [IngestFile], rejectedFiles: [String] = [], now: Int64, day: String) throws(StoreError) -> [IngestOutcome] {
        try commitFiles(files, rejectedFiles: rejectedFiles, now: now, day: day).outcomes
    }

    func commitFiles(_ files: [IngestFile], rejectedFiles: [String] = [], now: Int64, day: String) throws(StoreError) -> CommittedBatch {
        var builder = batchBuilder()
        for file in files { builder.add(file) }
        return try commitCounting(builder.finish(), rejectedFiles: rejectedFiles, now: now, day: day)
    }
}

func signal(_ id: String, at ts: Int64 = 1_764_410_400, category: String = "grooming", count: Int = 1,
            site: String? = "hoofdgebouw", channel: String? = "instagram", source: String = "webfilter") -> Signal {
    Signal(id: id, timestamp: ts, source: source, category: category, site: site, cohort: nil, channel: channel,
           severity: .medium, count: count)
}

func file(_ n: Int, _ signals: [Signal], rejections: [RejectReason] = []) -> IngestFile {
    IngestFile(digest: digest(n), signals: signals, rejections: rejections)
}

func digest(_ n: Int) -> [UInt8] {
    var d = [UInt8](repeating: 0, count: 32)
    withUnsafeBytes(of: UInt64(n).bigEndian) { for (i, b) in $0.enumerated() { d[24 + i] = b } }
    return d
}

func message(_ id: String, to recipient: String = "vp", route: OutboxEntry.Route = .email, at: Int64 = 1_000) -> OutboxEntry {
    OutboxEntry(id: id, recipient: recipient, route: route, kind: "alert", createdAt: at,
                subject: "Melding", text: "tekst", html: "<p>tekst</p>", json: #"{"type":"alert"}"#)
}

func mode(_ path: String) -> mode_t {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_mode & 0o777 : 0
}
