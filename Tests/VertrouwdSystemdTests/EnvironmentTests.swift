// Tests that change the process environment (NOTIFY_SOCKET, WATCHDOG_*,
// JOURNAL_STREAM, LISTEN_*) or fd 3: all in this one serialized suite.
import Testing

/// Every test that touches the environment or fd 3; see the extensions in
/// NotifierTests, WatchdogTests, LogTargetTests and ListenedSocketsTests.
@Suite(.serialized) struct SystemdEnvironmentTests {}
