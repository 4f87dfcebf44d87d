// `vertrouwd submit`: the reference producer. Validates signals with the
// daemon's own rules and drops them into the spool atomically.
//
// Exit status: 0 submitted (or nothing to submit), 1 a line is invalid
// (nothing is submitted), 2 the config or the spool cannot be used.
// Rejections name the line, the reason code and the field — never a value.
import ArgumentParser
import Foundation
import VertrouwdCore
import VertrouwdSpool

#if canImport(Glibc)
import Glibc
#endif

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Validate signals and drop them into the spool.",
        discussion: """
            Reads JSON Lines signals (DESIGN §2) from FILE, or from standard input when FILE \
            is - or absent. When every line is valid they are written to the spool as one \
            file (tmp/ then new/); otherwise each bad line is reported and nothing is written.
            """
    )

    @OptionGroup var options: ConfigOption

    @Argument(help: ArgumentHelp("The signals, one JSON object per line.", valueName: "file"))
    var file: String = "-"

    func run() throws {
        let (configuration, _) = try loadConfiguration(options.config)
        let limit = configuration.spool.maxFileBytes
        let bytes: [UInt8]
        do {
            bytes = try readInput(limit: limit)
        } catch let error as InputError {
            printError("vertrouwd: \(error.text)")
            throw ExitCode(2)
        }
        let validator = SignalValidator(configuration: configuration)
        let parsed = SignalFile(bytes: bytes, validator: validator, now: Int64(Date().timeIntervalSince1970))
        if !parsed.rejected.isEmpty {
            for line in parsed.rejected {
                printError("line \(line.number): \(line.rejection)")
            }
            let n = parsed.rejected.count
            printError("\(n) invalid line\(n == 1 ? "" : "s"); nothing submitted")
            throw ExitCode(1)
        }
        guard !parsed.packed.isEmpty else {
            printError("vertrouwd: no signals in the input; nothing submitted")
            return
        }
        do {
            _ = try SpoolDirectory(root: configuration.spool.path).drop(bytes)
        } catch {
            printError("vertrouwd: cannot write to the spool: \(error)")
            throw ExitCode(2)
        }
    }

    struct InputError: Error { var text: String }

    func readInput(limit: Int) throws -> [UInt8] {
        let fd: Int32 = file == "-" ? STDIN_FILENO : open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(text: "cannot read \(file): \(String(cString: strerror(errno)))") }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(text: "cannot read \(file): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > limit {
                throw InputError(text: "the input is larger than spool.max_file_bytes (\(limit) bytes); submit it in parts")
            }
        }
        return bytes
    }
}
