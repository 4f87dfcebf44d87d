import Foundation
import Testing
import VertrouwdConfig
import VertrouwdDaemon

#if canImport(Glibc)
import Glibc
#endif

/// The real file access behind the config loader, on real files.
@Suite struct LocalConfigFileSystemTests {
    let dir: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vertrouwd-fs-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func file(_ name: String, _ bytes: [UInt8], mode: Int) throws -> String {
        let path = dir.appendingPathComponent(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect(chmod(path, mode_t(mode)) == 0)
        return path
    }

    @Test func readsARegularFileAndItsMode() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try file("a.toml", Array("x = 1\n".utf8), mode: 0o640)
        let fs = LocalConfigFileSystem()
        #expect(fs.status(of: path) == FileStatus(kind: .regular, mode: 0o640))
        #expect(try fs.contents(of: path) == Array("x = 1\n".utf8))
    }

    @Test func followsSymlinks() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = try file("real.toml", Array("y = 2\n".utf8), mode: 0o600)
        let link = dir.appendingPathComponent("link.toml").path
        #expect(symlink(target, link) == 0)
        let fs = LocalConfigFileSystem()
        #expect(fs.status(of: link) == FileStatus(kind: .regular, mode: 0o600))
        #expect(try fs.contents(of: link) == Array("y = 2\n".utf8))
    }

    @Test func missingFileHasNoStatusAndTheSystemsReason() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("none").path
        let fs = LocalConfigFileSystem()
        #expect(fs.status(of: path) == nil)
        #expect(throws: FileAccessError(path: path, reason: "No such file or directory")) { try fs.contents(of: path) }
    }

    @Test func refusesDirectoriesFifosAndLargeFiles() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let fs = LocalConfigFileSystem(maxBytes: 1_024)
        #expect(fs.status(of: dir.path)?.kind == .directory)
        #expect(throws: FileAccessError(path: dir.path, reason: "is a directory")) { try fs.contents(of: dir.path) }

        // A FIFO with no writer must not block the reader.
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(fs.status(of: fifo)?.kind == .other)
        #expect(throws: FileAccessError(path: fifo, reason: "not a regular file")) { try fs.contents(of: fifo) }

        let big = try file("big.toml", [UInt8](repeating: 0x23, count: 2_048), mode: 0o644)
        #expect(throws: FileAccessError(path: big, reason: "larger than 1 KiB, not a config file")) { try fs.contents(of: big) }
    }
}
