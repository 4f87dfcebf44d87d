import Testing
import VertrouwdSystemd

#if canImport(Glibc)
import Glibc
#endif

extension SystemdEnvironmentTests {
    @Test func watchdogPingsAtHalfTheInterval() {
        let interval = withEnvironment(["WATCHDOG_USEC": "4000000", "WATCHDOG_PID": String(getpid())]) {
            Watchdog.interval()
        }
        #expect(interval == .seconds(2))
    }

    @Test func watchdogIsOffWithoutWatchdogUsec() {
        let interval = withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) { Watchdog.interval() }
        #expect(interval == nil)
    }

    @Test func aWatchdogMeantForAnotherProcessIsNotClaimed() {
        let interval = withEnvironment(["WATCHDOG_USEC": "4000000", "WATCHDOG_PID": String(getpid() + 1)]) {
            Watchdog.interval()
        }
        #expect(interval == nil)
    }

    @Test func watchdogLeavesTheEnvironmentAlone() {
        withEnvironment(["WATCHDOG_USEC": "4000000", "WATCHDOG_PID": String(getpid())]) {
            _ = Watchdog.interval()
            #expect(getenv("WATCHDOG_USEC") != nil)
        }
    }
}
