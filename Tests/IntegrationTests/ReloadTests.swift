import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Integration {
    @Suite struct ReloadTests {
        @Test func sighupSwapsAValidConfigAndKeepsTheOldOneWhenTheNewOneIsBroken() throws {
            let h = try DaemonHarness()
            try h.prepareSpool()
            let listener = NotifyListener(path: h.root + "/notify.sock")
            let p = Process()
            p.executableURL = Binary.url
            p.arguments = ["run", "--config", h.configPath]
            var env = ProcessInfo.processInfo.environment
            env["NOTIFY_SOCKET"] = listener.path
            p.environment = env
            let err = Pipe()
            p.standardError = err
            try p.run()
            defer { if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
            #expect(listener.receive(for: 1.5).first == "READY=1\nSTATUS=watching the spool")

            // A new source, then SIGHUP: its signals now count.
            let original = try String(contentsOfFile: h.configPath, encoding: .utf8)
            try (original + "\n[[source]]\nname = \"nieuwebron\"\n").write(toFile: h.configPath, atomically: true, encoding: .utf8)
            kill(p.processIdentifier, SIGHUP)
            let reloaded = listener.receive(for: 1.5)
            #expect(reloaded.first == "RELOADING=1\nSTATUS=reloading the configuration", "\(reloaded)")
            #expect(reloaded.contains("READY=1\nSTATUS=watching the spool (configuration reloaded)"), "\(reloaded)")
            try h.drop(Lines.signal([("source", "\"nieuwebron\"")]) + "\n")
            try waitUntil("the new source's signal counts", timeout: 10) { (try? h.total()) == 1 }

            // A broken config: rejected with its position, the old one stays.
            let broken = try String(contentsOfFile: h.configPath, encoding: .utf8) + "\n[privacy]\nmin_group_size = 2\n"
            try broken.write(toFile: h.configPath, atomically: true, encoding: .utf8)
            kill(p.processIdentifier, SIGHUP)
            let failed = listener.receive(for: 1.5)
            #expect(failed.contains { $0.hasPrefix("READY=1\nSTATUS=reload failed: 1 error in \(h.configPath)") }, "\(failed)")
            #expect(p.isRunning)
            try h.drop(Lines.signal([("source", "\"nieuwebron\"")]) + "\n")
            try waitUntil("the running config still takes the new source", timeout: 10) { (try? h.total()) == 2 }

            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let line = broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "min_group_size = 2" }! + 1
            #expect(log.contains("\(h.configPath):\(line):18: error: \"min_group_size\" (k) must be at least 3, not 2"), "\(log)")
            #expect(log.contains("configuration reloaded"))
            // The valid reload went to the one running loop (the broken one
            // never reached it): no second loop started, READY came once
            // from the loop, and it stopped once, at SIGTERM.
            #expect(log.components(separatedBy: "ready: watching the spool").count == 2, "\(log)")
            #expect(log.components(separatedBy: "the reloaded configuration is in use").count == 2, "\(log)")
            #expect(log.components(separatedBy: "ingest stopped").count == 2, "\(log)")
        }
    }
}
