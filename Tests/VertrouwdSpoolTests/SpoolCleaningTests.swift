import Glibc
import Testing
@testable import VertrouwdSpool

@Suite("Cleaning tmp and quarantine")
struct SpoolCleaningTests {
    @Test("tmp: old files and symlinks go, new ones and folders stay")
    func tmp() throws {
        try withSpool { spool in
            let t = now()
            let old = t - 37 * 3600
            writeFile(spool.tmpPath + "/old", "x"); setMTime(spool.tmpPath + "/old", old)
            writeFile(spool.tmpPath + "/fresh", "x"); setMTime(spool.tmpPath + "/fresh", t - 3600)
            writeFile(spool.root + "/target", "target")
            symlink(spool.root + "/target", spool.tmpPath + "/oldlink"); setMTime(spool.tmpPath + "/oldlink", old)
            mkdir(spool.tmpPath + "/olddir", 0o700); setMTime(spool.tmpPath + "/olddir", old)
            #expect(spool.cleanTmp(now: t, olderThan: 36 * 3600) == 2)
            #expect(entries(spool.tmpPath) == ["fresh", "olddir"])
            #expect(readFile(spool.root + "/target") == "target")
        }
    }

    @Test("quarantine: old entries go, folders included; new ones stay")
    func quarantine() throws {
        try withSpool { spool in
            let t = now()
            let old = t - 31 * 86400
            let q = spool.quarantinePath
            writeFile(q + "/a", "x"); setMTime(q + "/a", old)
            writeFile(q + "/a.reason", "x"); setMTime(q + "/a.reason", old)
            writeFile(q + "/b.reason", "x")
            mkdir(q + "/d", 0o700)
            mkdir(q + "/d/sub", 0o700)
            writeFile(q + "/d/sub/f", "x")
            writeFile(spool.root + "/target", "target")
            symlink(spool.root + "/target", q + "/d/link")
            symlink(spool.root, q + "/d/dirlink")
            setMTime(q + "/d", old)
            #expect(spool.cleanQuarantine(now: t, olderThan: 30 * 86400) == 3)
            #expect(entries(q) == ["b.reason"])
            #expect(readFile(spool.root + "/target") == "target")
            #expect(exists(spool.tmpPath))
        }
    }
}
