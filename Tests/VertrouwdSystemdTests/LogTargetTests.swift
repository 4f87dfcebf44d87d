import Testing
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

/// "dev:ino" of standard error, as systemd would put it in JOURNAL_STREAM.
private func standardErrorStream() -> String {
    var st = stat()
    precondition(fstat(STDERR_FILENO, &st) == 0)
    return "\(st.st_dev):\(st.st_ino)"
}

/// What detect() answers when standard error is not the journal.
private var withoutJournal: LogTarget {
    isatty(STDERR_FILENO) == 0 ? .stderrPrefixed : .stderrPlain
}

@Suite struct LogTargetPureTests {
    @Test func journalWhenJournalStreamIsStandardError() {
        #expect(LogTarget.detect(journalStream: standardErrorStream(), standardError: STDERR_FILENO) == .journal)
    }

    @Test(arguments: ["1:1", "0:0", "garbage", "12", "1:2:3", "", ":"])
    func notTheJournalWhenJournalStreamNamesAnotherFile(value: String) {
        #expect(LogTarget.detect(journalStream: value, standardError: STDERR_FILENO) == withoutJournal)
    }

    @Test func prefixedOnAPipe() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(LogTarget.detect(journalStream: nil, standardError: fds[1]) == .stderrPrefixed)
    }
}

extension SystemdEnvironmentTests {
    @Test func detectReadsJournalStream() {
        withEnvironment(["JOURNAL_STREAM": standardErrorStream()]) {
            #expect(LogTarget.detect() == .journal)
        }
        withEnvironment(["JOURNAL_STREAM": "1:1"]) {
            #expect(LogTarget.detect() == withoutJournal)
        }
        withEnvironment(["JOURNAL_STREAM": nil]) {
            #expect(LogTarget.detect() == withoutJournal)
        }
    }
}
