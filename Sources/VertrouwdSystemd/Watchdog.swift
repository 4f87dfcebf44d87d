// Watchdog — how often to send WATCHDOG=1, from sd_watchdog_enabled(3).
//
// Security stance: WATCHDOG_PID is honoured, so a watchdog meant for another
// process (e.g. a parent) is not claimed. Logs nothing.
import CSystemd

/// The systemd service watchdog (WatchdogSec=).
public enum Watchdog {
    /// The ping period: half of the watchdog interval systemd set
    /// (WATCHDOG_USEC), or nil when the watchdog is off or meant for
    /// another process (WATCHDOG_PID). The environment is left as it is.
    public static func interval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(usec / 2)
    }
}
