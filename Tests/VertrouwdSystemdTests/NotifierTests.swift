import Testing
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

extension SystemdEnvironmentTests {
    /// Sends `messages` with SystemdNotifier to a real socket named by
    /// NOTIFY_SOCKET and returns the datagrams that arrived.
    func sent(_ calls: [[NotifyMessage]]) throws -> [String] {
        let listener = try DatagramListener(name: "notify")
        defer { listener.close() }
        return withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            let notifier = SystemdNotifier()
            for messages in calls { notifier.notify(messages) }
            var datagrams: [String] = []
            while let datagram = listener.receive() { datagrams.append(datagram) }
            return datagrams
        }
    }

    @Test func readyIsSentAsReady1() throws {
        #expect(try sent([[.ready]]) == ["READY=1"])
    }

    @Test func statusIsSentAsOneLine() throws {
        #expect(try sent([[.status("scanning the spool")]]) == ["STATUS=scanning the spool"])
        #expect(try sent([[.status("two\nlines\r\nhere")]]) == ["STATUS=two lines  here"])
    }

    @Test func stoppingIsSentAsStopping1() throws {
        #expect(try sent([[.stopping]]) == ["STOPPING=1"])
    }

    @Test func reloadIsBracketedByReloadingAndReady() throws {
        #expect(try sent([[.reloading], [.ready]]) == ["RELOADING=1", "READY=1"])
    }

    @Test func watchdogIsSentAsWatchdog1() throws {
        #expect(try sent([[.watchdog]]) == ["WATCHDOG=1"])
    }

    @Test func combinedMessagesTravelInOneDatagram() throws {
        #expect(try sent([[.ready, .status("ready: 3 files in the spool")]])
                == ["READY=1\nSTATUS=ready: 3 files in the spool"])
    }

    @Test func aStatusCannotForgeReadiness() throws {
        #expect(try sent([[.status("x\nREADY=1")]]) == ["STATUS=x READY=1"])
    }

    @Test func anEmptyNotificationSendsNothing() throws {
        #expect(try sent([[]]) == [])
    }

    @Test func withoutNotifySocketNothingIsSentAndNothingFails() throws {
        let listener = try DatagramListener(name: "notify-unset")
        defer { listener.close() }
        withEnvironment(["NOTIFY_SOCKET": nil]) {
            SystemdNotifier().notify([.ready, .status("nobody listens")])
        }
        #expect(listener.receive() == nil)
    }
}

@Suite struct RecordingNotifierTests {
    @Test func recordsEachNotificationInOrder() {
        let notifier = RecordingNotifier()
        notifier.notify([.reloading])
        notifier.notify([.ready, .status("reloaded")])
        notifier.notify([])
        #expect(notifier.notifications == [[.reloading], [.ready, .status("reloaded")]])
        #expect(notifier.messages == [.reloading, .ready, .status("reloaded")])
    }

    @Test func isSafeToUseFromManyTasks() async {
        let notifier = RecordingNotifier()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 { group.addTask { notifier.notify(.watchdog) } }
        }
        #expect(notifier.messages.count == 100)
    }

    @Test func rendersTheAssignments() {
        #expect(NotifyMessage.render([.ready, .reloading, .stopping, .watchdog, .status("a\nb")])
                == "READY=1\nRELOADING=1\nSTOPPING=1\nWATCHDOG=1\nSTATUS=a b")
    }
}
