import Foundation

extension Scheduler {
    /// The scheduler's clock value: both clocks the daemon reads, in
    /// milliseconds, so that a wait ends on the instant it aims at.
    ///
    /// - `wall`: since the Unix epoch. Ticks, summaries and maintenance sit
    ///   on the wall clock (ticks are local quarter hours, summaries local
    ///   07:30).
    /// - `monotonic`: any origin, never set back. Back-off, the rescan
    ///   interval and the watchdog run on it, so that a wall clock set back
    ///   (NTP at boot) cannot stop the watchdog pings.
    public struct Time: Sendable, Hashable {
        public var wall: Int64
        public var monotonic: Int64

        public init(wall: Int64, monotonic: Int64) {
            self.wall = wall
            self.monotonic = monotonic
        }

        /// The wall clock in whole seconds (the store's and the rules' unit).
        public var wallSeconds: Int64 { Self.seconds(wall: wall) }

        /// Wall-clock milliseconds as whole seconds, floored.
        public static func seconds(wall milliseconds: Int64) -> Int64 { WindowCalendar.floorDiv(milliseconds, 1_000) }
    }

    /// What the scheduler is configured with: the configuration's intervals
    /// and the daemon's limits.
    public struct Settings: Sendable, Equatable {
        /// `alerts.evaluate_every`; zero evaluates after every drain.
        public var evaluateEvery: Interval
        /// `school.timezone`: ticks are aligned on its wall clock.
        public var zone: TimeZone
        /// `spool.rescan`: a pass at least this often, even without inotify.
        public var rescan: Interval
        /// Purge and clean-up at most this often (seconds).
        public var maintenanceEvery: Int64 = 3_600
        /// Back-off while degraded: doubling from the first to the last (ms).
        public var retryFirst: Int64 = 1_000
        public var retryLast: Int64 = 60_000
        /// The systemd watchdog interval (ms), or nil without a watchdog.
        public var watchdog: Int64?
        /// `alerts.release_every`: alerts leave only at ticks aligned to
        /// it (`AlertRelease`). Nil: no release step (the evaluation
        /// releases; for tests of the other steps only).
        public var releaseEvery: Interval?

        public init(evaluateEvery: Interval, zone: TimeZone, rescan: Interval, watchdog: Int64? = nil,
                    releaseEvery: Interval? = nil) {
            precondition((releaseEvery?.seconds ?? 1) > 0, "a release interval is positive")
            self.releaseEvery = releaseEvery
            self.evaluateEvery = evaluateEvery
            self.zone = zone
            self.rescan = rescan
            self.watchdog = watchdog
        }
    }

    /// What happened: the outcome of the action carried out, or news from
    /// outside. Every event comes with the clock value read after it.
    public enum Event: Sendable, Equatable {
        /// The loop starts.
        case started
        /// The store is open and the spool is watched.
        case prepared
        /// A wait ended: the spool changed, or its time ran out.
        case woke
        /// The spool was drained: nothing waits that a pass could take.
        case drained
        /// A rule evaluation pass finished, and alerts wait for a release.
        case evaluated
        /// A rule evaluation pass finished, and no alert waits for a
        /// release: no release tick wakes the loop until one does.
        case evaluatedNoneHeld
        /// The alerts held for a release tick were released.
        case released
        /// Some of the alerts held at the release tick were released; the
        /// rest follow at the same tick after the spool was drained again,
        /// so that a release of hundreds of alerts does not hold up ingest
        /// (`AlertEvaluator.releasePart`).
        case releasedInPart
        /// A summary check finished; the next one is due at `nextDue`
        /// (wall clock, seconds: `SummarySchedule.nextCheck`).
        case published(nextDue: Int64)
        /// Purge and clean-up finished (their failures are only logged).
        case maintained
        /// The action in hand could not make progress (the store cannot
        /// be opened or written, the spool cannot be watched …).
        case failed(reason: String)
        /// The action in hand failed in a way no retry can mend: the state
        /// database was written by a newer vertrouwd. The loop ends, and
        /// the daemon with it (exit status 78).
        case failedForGood(reason: String)
        /// The configuration was swapped (SIGHUP) while the action in hand
        /// ran; these are its settings. The loop goes on: ticks, summary
        /// checks and maintenance are planned again under them, and a new
        /// pass starts (after the back-off, when degraded).
        case reload(Settings)
        /// Shutdown: finish the action in hand and end.
        case stop
    }

    /// What the daemon must tell the world, before it carries out an action.
    public enum Notification: Sendable, Equatable {
        /// Up: the store was tried and the spool watched (or degraded); a
        /// backlog may still be waiting. Once per loop.
        case ready
        /// Progress stopped for this reason (once, until resumed).
        case degraded(reason: String)
        /// A pass succeeded after being degraded.
        case resumed
        /// Ping the systemd watchdog.
        case watchdog
        /// A pass finished; the loop is about to wait.
        case idle
    }

    /// What to do next: exactly one thing. The daemon carries it out and
    /// reports the outcome as the next event.
    public enum Action: Sendable, Equatable {
        /// Open the store and watch the spool (each only if not yet done).
        case prepare
        /// Count what waits in the spool (cur/ first, then new/).
        case drain
        /// Evaluate the rules as of `at` (wall clock, seconds).
        case evaluate(at: Int64)
        /// Release the alerts held since the last release, stamped with
        /// the release tick `at` (wall clock, seconds; `AlertRelease`).
        case release(at: Int64)
        /// Publish the summaries due at `at` (wall clock, seconds).
        case publish(at: Int64)
        /// Purge the store and clean the spool as of `at` (seconds).
        case maintain(at: Int64)
        /// Wait for the spool to change, at most this many milliseconds.
        case wait(milliseconds: Int64)
        /// End the loop.
        case exit
    }

    /// Notifications to send first, then one action.
    public struct Step: Sendable, Equatable {
        public var notifications: [Notification]
        public var action: Action

        public init(_ notifications: [Notification], _ action: Action) {
            self.notifications = notifications
            self.action = action
        }

        /// An action with nothing to tell first.
        public init(_ action: Action) {
            self.init([], action)
        }
    }
}
