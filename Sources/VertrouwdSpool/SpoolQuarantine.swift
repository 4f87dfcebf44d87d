// SpoolQuarantine — recording what was refused, without keeping it.
//
// Security stance: the quarantine keeps reason codes, schema field names,
// line numbers and keyed hashes (`SpoolIDKey`) — never a rejected line,
// never a refused file's bytes, never the producer's file name. A rejected
// value that no PII detector recognises (an extra `note`, a site value
// `jan-de-vries-4b`) is still a value a person chose, so it is not kept
// either (issue 13, finding 12). A refused entry is removed from cur/
// without being followed or opened: unlink for files, symlinks, FIFOs,
// sockets and devices; a folder is removed depth first through
// descriptors. Only a folder too deep to remove (over 32 levels) is moved
// aside whole, for a person. Quarantine files are written to a temporary
// name, fsynced and renamed, so a crash leaves either the old or the new
// file; every call may be repeated after a crash.

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
    /// The line without its line ending: only its keyed hash is recorded.
    public var content: [UInt8]

    /// A rejected line; `content` is hashed, never written.
    public init(number: Int, reason: String, field: String? = nil, content: [UInt8]) {
        self.number = number
        self.reason = reason
        self.field = field
        self.content = content
    }
}

extension SpoolDirectory {
    /// Records a refused entry in `quarantine/<id>.reason` and removes
    /// `cur/<name>`.
    ///
    /// The record is
    ///
    ///     reason: <code>
    ///     content: removed (hash <16 hex>)
    ///
    /// for a regular file (the keyed hash of its bytes, `SpoolIDKey.fileHash`;
    /// `removed (too large to hash)` over 64 MiB, `removed (could not be
    /// read)` when it cannot be read whole), `content: removed (not a regular
    /// file)` for a symlink, FIFO, socket, device or folder, `content: absent
    /// (the file vanished before quarantine)` for one already gone, and
    /// `content: moved aside as <id> (a folder too deep to remove)` for the
    /// one case where something is kept.
    ///
    /// The reason is written before the entry goes, so a crash in between is
    /// repaired by calling again; a call for a file that is already gone
    /// succeeds (and writes a reason saying so when there is none yet).
    /// `id` must be one folder entry name (a keyed id from `SpoolIDKey`).
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
            try writeQuarantineFile(reasonName, Self.wholeRecord(reason, "absent (the file vanished before quarantine)"))
            return
        }
        let isFolder = st.st_mode & S_IFMT == S_IFDIR
        let content: String
        if st.st_mode & S_IFMT == S_IFREG {
            content = switch hashForQuarantine(path: source, expected: st, key: try idKey()) {
            case .hash(let hash): "removed (hash \(hash))"
            case .notHashed(let why): "removed (\(why))"
            }
        } else {
            content = "removed (not a regular file)"
        }
        try writeQuarantineFile(reasonName, Self.wholeRecord(reason, content))
        if isFolder {
            let parent = open(curPath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard parent >= 0 else { throw .last("open", curPath) }
            let removed = name.withCString { removeTree(parent: parent, name: $0, depth: 0) }
            close(parent)
            if !removed {
                // Too deep (or changing under us): moved aside for a person,
                // the only case in which refused content stays.
                try writeQuarantineFile(reasonName, Self.wholeRecord(reason, "moved aside as \(id) (a folder too deep to remove)"))
                guard rename(source, quarantinePath + "/" + id) == 0 || errno == ENOENT else {
                    throw .last("rename", designation(curPath, name))
                }
                try syncFolder(quarantinePath)
            }
        } else {
            guard unlink(source) == 0 || errno == ENOENT else { throw .last("unlink", designation(curPath, name)) }
        }
        try syncFolder(curPath)
    }

    /// The record of a refused entry.
    static func wholeRecord(_ reason: FileRejectReason, _ content: String) -> [UInt8] {
        Array("reason: \(reason.rawValue)\ncontent: \(content)\n".utf8)
    }

    /// Records the bad lines of a partly bad file in `quarantine/<id>.reason`:
    /// one line per entry of `lines`, in the given order,
    ///
    ///     line <N>: <reason>[ <field>] hash <16 hex>
    ///
    /// where the hash is the keyed hash of the line (`SpoolIDKey.lineHash`).
    /// The lines themselves are never written. A reason or field that is not
    /// a plain identifier (`[A-Za-z0-9_.-]`, at most 64 characters) is
    /// written as `invalid`. The file is written to a temporary name,
    /// fsynced and renamed; calling again replaces it.
    public func quarantineLines(id: String, lines: [QuarantinedLine]) throws(SpoolError) {
        try checkID(id)
        let key = try idKey()
        var record = ""
        for line in lines {
            record += "line \(line.number): \(plainIdentifier(line.reason))"
            if let field = line.field { record += " " + plainIdentifier(field) }
            record += " hash \(key.lineHash(line.content))\n"
        }
        try writeQuarantineFile(id + ".reason", Array(record.utf8))
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
