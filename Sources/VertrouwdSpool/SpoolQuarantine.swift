// SpoolQuarantine — moving damaged files and lines aside.
//
// Security stance: a file that was refused whole is moved by rename, which
// never follows a symlink or opens a FIFO or device. A regular file is
// first scanned with the PII gate, line by line; if the gate fires, or the
// file cannot be scanned completely, its content is not kept: the file is
// unlinked and only the reason is written. Reason files hold reason codes,
// field names (checked to be plain identifiers) and line numbers: never
// content, never the producer's file name. Quarantine files are written to
// a temporary name, fsynced and renamed, so a crash leaves either the old
// or the new file; every call may be repeated after a crash.

import Glibc
import VertrouwdCore

/// One rejected line of a partly bad spool file.
public struct QuarantinedLine: Sendable, Equatable {
    /// The line's number in its file, from 1.
    public var number: Int
    /// The reason code (`RejectReason.rawValue`, e.g. `pii_phone`).
    public var reason: String
    /// The field the reason is about, if any (a field name, never a value).
    public var field: String?
    /// The line without its newline, or nil when it must not be kept
    /// (the PII gate fired on it).
    public var content: [UInt8]?

    /// A rejected line; pass `content: nil` to withhold it.
    public init(number: Int, reason: String, field: String? = nil, content: [UInt8]?) {
        self.number = number
        self.reason = reason
        self.field = field
        self.content = content
    }
}

extension SpoolDirectory {
    /// Moves `cur/<name>` whole to `quarantine/<id>` and writes
    /// `quarantine/<id>.reason`.
    ///
    /// The entry is renamed, so symlinks, FIFOs, sockets, devices and folders
    /// are moved without being followed or opened. A regular file is first
    /// scanned with `PIIGate.scanRawLine` per `\n`-separated line; if the
    /// gate fires on any line, or the file is too large to scan (over
    /// 64 MiB, or a line over 1 MiB), the content is not kept: the file is
    /// unlinked and the reason says the content was withheld.
    ///
    /// The reason is written before the entry moves, so a crash in between
    /// is repaired by calling again; a call for a file that is already gone
    /// succeeds (and writes a reason saying so when there is none yet).
    /// `id` must be one folder entry name; use `spoolFileID(for:)` or a
    /// value derived from it.
    public func quarantineWhole(claimed name: String, id: String, reason: FileRejectReason) throws(SpoolError) {
        try checkName(name, in: curPath, "quarantine")
        try checkID(id)
        let source = curPath + "/" + name
        let reasonName = id + ".reason"
        var st = stat()
        guard lstat(source, &st) == 0 else {
            guard errno == ENOENT else { throw .last("lstat", designation(curPath, name)) }
            var existing = stat()
            if lstat(quarantinePath + "/" + reasonName, &existing) == 0 { return }
            let text = "reason: \(reason.rawValue)\ncontent: absent (the file vanished before quarantine)\n"
            try writeQuarantineFile(reasonName, Array(text.utf8))
            return
        }
        if st.st_mode & S_IFMT == S_IFREG {
            let verdict = scanForPII(path: source, expected: st)
            if case .withheld(let why) = verdict {
                let text = "reason: \(reason.rawValue)\ncontent: withheld (\(why))\n"
                try writeQuarantineFile(reasonName, Array(text.utf8))
                guard unlink(source) == 0 || errno == ENOENT else {
                    throw .last("unlink", designation(curPath, name))
                }
                try syncFolder(curPath)
                return
            }
        }
        let text = "reason: \(reason.rawValue)\ncontent: kept as \(id)\n"
        try writeQuarantineFile(reasonName, Array(text.utf8))
        guard rename(source, quarantinePath + "/" + id) == 0 else {
            if errno == ENOENT { return }
            throw .last("rename", designation(curPath, name))
        }
        try syncFolder(quarantinePath)
        try syncFolder(curPath)
    }

    /// Writes the bad lines of a partly bad file.
    ///
    /// `quarantine/<id>.lines` holds one line per entry of `lines`, in the
    /// given order: its content, or `# line N withheld: <reason>` when the
    /// content is nil (or the PII gate fires on it here: a second check).
    /// `quarantine/<id>.reason` holds `line N: <reason> [<field>]` per entry.
    /// A reason or field that is not a plain identifier
    /// (`[A-Za-z0-9_.-]`, at most 64 characters) is written as `invalid`.
    /// Both files are written to a temporary name, fsynced and renamed;
    /// calling again replaces them.
    public func quarantineLines(id: String, lines: [QuarantinedLine]) throws(SpoolError) {
        try checkID(id)
        var content: [UInt8] = []
        var reasons = ""
        for line in lines {
            let code = plainIdentifier(line.reason)
            if let bytes = line.content, bytes.withUnsafeBytes({ PIIGate.scanRawLine($0) }) == nil {
                content.append(contentsOf: bytes)
                content.append(0x0A)
            } else {
                let withheld: String
                if let bytes = line.content, let hit = bytes.withUnsafeBytes({ PIIGate.scanRawLine($0) }) {
                    withheld = hit.reason.rawValue
                } else {
                    withheld = code
                }
                content.append(contentsOf: "# line \(line.number) withheld: \(withheld)\n".utf8)
            }
            reasons += "line \(line.number): \(code)"
            if let field = line.field { reasons += " " + plainIdentifier(field) }
            reasons += "\n"
        }
        try writeQuarantineFile(id + ".lines", content)
        try writeQuarantineFile(id + ".reason", Array(reasons.utf8))
    }

    private func checkID(_ id: String) throws(SpoolError) {
        guard Self.isEntryName(id), !id.hasPrefix(".") else {
            throw SpoolError(operation: "quarantine", path: quarantinePath + "/<invalid id>", errno: EINVAL)
        }
    }

    /// Writes `quarantine/<name>` atomically: a temporary `.<name>.tmp`,
    /// fsync, rename, fsync of the folder. A temporary file left by a crash
    /// is replaced.
    func writeQuarantineFile(_ name: String, _ bytes: [UInt8]) throws(SpoolError) {
        let temp = quarantinePath + "/." + name + ".tmp"
        if unlink(temp) != 0, errno != ENOENT { throw .last("unlink", temp) }
        try writeDurably(bytes, via: temp, as: name, in: quarantinePath, mode: 0o600)
    }

    /// fsyncs a folder so that renames and unlinks in it are durable.
    func syncFolder(_ path: String) throws(SpoolError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .last("open", path) }
        defer { close(fd) }
        guard system.fsync(fd) == 0 else { throw .last("fsync", path) }
    }
}

/// `text` when it is a plain identifier, else `invalid`: reason codes and
/// field names reach the quarantine, values never do.
func plainIdentifier(_ text: String) -> String {
    let ok = !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }
    return ok ? text : "invalid"
}
