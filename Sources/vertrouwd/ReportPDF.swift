// ReportPDF — prints the term overview's HTML to PDF with a headless
// chromium (`vertrouwd report --pdf`), when one is installed.
//
// Security stance: chromium runs as the calling user on a file of our own
// in a private temporary folder (mode 0700), with its profile, cache and
// HOME there too, so it writes nothing elsewhere; the folder is removed
// afterwards. --no-sandbox because root (who runs admin commands) cannot
// use chromium's sandbox; the page is our own HTML, with no script and no
// network resource. A converter that hangs is killed after `timeout`.
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Turns an HTML file into a PDF file. Implementations write `pdf` only
/// when the conversion succeeded, and never leave a partial file there.
protocol PDFConverter {
    /// What the converter is, for messages: "chromium".
    var name: String { get }
    /// Converts `html` (a page's text) to a PDF at `pdf`.
    func convert(html: String, to pdf: String) throws(PDFFailure)
}

/// Why no PDF was made; `message` is what the command prints.
struct PDFFailure: Error {
    var message: String
}

/// Debian's chromium (`apt-get install chromium`), headless.
struct ChromiumPDF: PDFConverter {
    let executable: String
    var timeout: TimeInterval = 120
    var name: String { (executable as NSString).lastPathComponent }

    /// The names a chromium goes by, in the order they are looked for.
    static let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// The first chromium on `PATH`, or nil.
    static func find(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> ChromiumPDF? {
        let folders = (path ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in names {
            for folder in folders where !folder.isEmpty {
                let candidate = folder + "/" + name
                if FileManager.default.isExecutableFile(atPath: candidate) { return ChromiumPDF(executable: candidate) }
            }
        }
        return nil
    }

    func convert(html: String, to pdf: String) throws(PDFFailure) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vertrouwd-report-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw PDFFailure(message: "cannot create a temporary folder: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/report.html"
        let printed = folder + "/report.pdf"
        guard FileManager.default.createFile(atPath: page, contents: Data(html.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw PDFFailure(message: "cannot write \(page)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--no-pdf-header-footer", "--user-data-dir=\(folder)/profile",
                             "--print-to-pdf=\(printed)", URL(fileURLWithPath: page).absoluteString]
        var environment = ProcessInfo.processInfo.environment
        for key in ["HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] { environment[key] = folder }
        process.environment = environment
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PDFFailure(message: "cannot start \(executable): \(error.localizedDescription)")
        }
        let pid = process.processIdentifier
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        // Read before waiting, so that a chatty converter cannot fill the pipe and stall.
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        killer.cancel()
        let output = FileManager.default.contents(atPath: printed) ?? Data()
        guard process.terminationReason == .exit, process.terminationStatus == 0, output.starts(with: Data("%PDF".utf8)) else {
            let last = said.split(separator: "\n").suffix(3).joined(separator: "\n")
            let how = process.terminationReason == .uncaughtSignal ? "was stopped after \(Int(timeout)) s or by a signal"
                : "exited with status \(process.terminationStatus)"
            throw PDFFailure(message: "\(name) \(how) and made no PDF\(last.isEmpty ? "" : ":\n" + last)")
        }
        do {
            try ReportFiles.write(output, to: pdf)
        } catch {
            throw PDFFailure(message: "cannot write \(pdf): \(error.message)")
        }
    }
}

/// Writing the report's files: mode 0600 from the first byte, under a
/// temporary name in the destination's folder, then renamed into place, so
/// that no half-written report ever carries the name asked for.
enum ReportFiles {
    struct Failure: Error { var message: String }

    static func write(_ data: Data, to path: String) throws(Failure) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw Failure(message: String(cString: strerror(errno))) }
        var written = 0
        let ok = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return fsync(fd) == 0
        }
        let reason = ok ? "" : String(cString: strerror(errno))
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let why = ok ? String(cString: strerror(errno)) : reason
            unlink(temporary)
            throw Failure(message: why)
        }
    }
}
