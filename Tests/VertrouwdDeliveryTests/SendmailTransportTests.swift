import Foundation
import Testing
import VertrouwdCore
@testable import VertrouwdDelivery

/// SendmailTransport against a fake sendmail: a script that stores its argv
/// and stdin and exits with a chosen status.
@Suite("sendmail transport")
struct SendmailTransportTests {
    func fakeSendmail(exit status: Int, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("sendmail").path
        try """
        #!/bin/sh
        printf '%s\\n' "$@" > '\(dir.path)/argv'
        cat > '\(dir.path)/stdin'
        exit \(status)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    func transport(_ path: String) -> SendmailTransport {
        var settings = EmailSettings()
        settings.mode = .sendmail
        settings.sendmailPath = path
        settings.from = "vertrouwd@school.example"
        return SendmailTransport(settings: settings)
    }

    @Test("exit 0 → delivered; argv is -i -t; stdin is the MIME message with To:")
    func delivered() async throws {
        let dir = try makeTempDirectory()
        let message = sampleMessage()
        let result = await transport(try fakeSendmail(exit: 0, in: dir)).deliver(message, to: "vp@school.example")
        #expect(result == .delivered)
        let argv = try String(contentsOf: dir.appendingPathComponent("argv"), encoding: .utf8)
        #expect(argv == "-i\n-t\n")
        let stdin = Array(try Data(contentsOf: dir.appendingPathComponent("stdin")))
        #expect(stdin == MIMEMessage.render(message, from: "vertrouwd@school.example", fromName: "vertrouwd",
                                            to: "vp@school.example", messageIDDomain: "school.example"))
        if which("python3") != nil {
            let parsed = try parseWithPython(stdin)
            #expect(parsed.to == "vp@school.example")
            #expect(parsed.text == message.text)
        }
    }

    @Test("exit 75 (EX_TEMPFAIL) → retry")
    func tempfail() async throws {
        let dir = try makeTempDirectory()
        let result = await transport(try fakeSendmail(exit: 75, in: dir)).deliver(sampleMessage(), to: "vp@school.example")
        #expect(result == .retry("sendmail: temporary failure (exit 75)"))
    }

    @Test("exit 1 → permanent")
    func failure() async throws {
        let dir = try makeTempDirectory()
        let result = await transport(try fakeSendmail(exit: 1, in: dir)).deliver(sampleMessage(), to: "vp@school.example")
        #expect(result == .permanent("sendmail failed (exit 1)"))
    }

    @Test("a sendmail that exits without reading stdin cannot kill us with SIGPIPE")
    func earlyExit() async throws {
        let dir = try makeTempDirectory()
        let path = dir.appendingPathComponent("sendmail").path
        try "#!/bin/sh\nexit 0\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        var message = sampleMessage()
        message.text = String(repeating: "x", count: 4_000_000)
        let result = await transport(path).deliver(message, to: "vp@school.example")
        #expect(result == .retry("sendmail did not read the whole message"))
    }

    @Test("a missing binary → permanent with a clear reason")
    func missing() async throws {
        let result = await transport("/nonexistent/sendmail").deliver(sampleMessage(), to: "vp@school.example")
        #expect(result == .permanent("sendmail not found or not executable at /nonexistent/sendmail"))
    }
}
