// `vertrouwd adapt`: turns a filter's log (Unbound RPZ, dnsmasq, e2guardian,
// FortiGate) into signals, handed over through the spool exactly as
// `vertrouwd submit` does. Runs once over a file or standard input, or
// follows a file across rotation (`--follow`, the systemd unit
// vertrouwd-adapt@.service).
//
// Security: the client address, user, URL path and query name never leave
// this process — not in a signal, not in its output, not in an error. A
// line on no list produces nothing; an unreadable line is counted by its
// reason code, never printed. Counts it prints below k show as "<k".
// Exactly once: the read position (inode, offset) is saved only after the
// signals before it are durable in the spool, and a signal's id is a keyed
// hash of its line, so a line read twice is one signal to the daemon.
//
// Exit status: 0 done (or stopped by SIGTERM/SIGINT), 1 errors in the
// config or the domain lists, 2 the log, the spool or the state cannot be used.
import ArgumentParser
import Foundation
import VertrouwdAdapters
import VertrouwdConfig
import VertrouwdCore
import VertrouwdDaemon
import VertrouwdSpool

#if canImport(Glibc)
import Glibc
#endif

struct Adapt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapt",
        abstract: "Turn a DNS or web filter's log into signals.",
        discussion: """
            Reads the log of the [[adapter]] named NAME (unbound-rpz, dnsmasq, e2guardian or \
            fortigate) from LOGFILE, or from standard input when LOGFILE is - or absent, matches \
            each line against the adapter's domain lists and drops one signal per match into the \
            spool. With --follow, keeps reading LOGFILE as it grows and across rotation. Prints \
            a count of lines by outcome when it stops; never a line, an address or a name.
            """
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: ArgumentHelp("The [[adapter]] to run (its name).", valueName: "name"))
    var adapter: String

    @Flag(name: .long, help: "Keep reading the log as it grows, across rotation, until SIGTERM.")
    var follow = false

    @Argument(help: ArgumentHelp("The log file, or - for standard input.", valueName: "logfile"))
    var file: String = "-"

    func validate() throws {
        if follow && file == "-" {
            throw ValidationError("--follow needs a log file, not standard input")
        }
    }

    func run() throws {
        let (configuration, _) = try loadConfiguration(options.config)
        guard let settings = configuration.adapters.first(where: { $0.name == adapter }) else {
            let names = configuration.adapters.map(\.name)
            printError("vertrouwd: no [[adapter]] named \"\(adapter)\" in \(options.config)"
                       + (names.isEmpty ? "" : " (there are: \(names.joined(separator: ", ")))"))
            throw ExitCode(1)
        }
        let lists = loadDomainLists(settings, taxonomy: configuration.taxonomy, fileSystem: LocalConfigFileSystem())
        if lists.errorCount > 0 {
            printError(lists.report, terminator: "")
            printError("\(lists.errorCount) error\(lists.errorCount == 1 ? "" : "s") in the domain lists of adapter \"\(adapter)\"")
            throw ExitCode(1)
        }
        let statePath = settings.stateFile(beside: configuration.state.path)
        var state: AdaptState
        do {
            state = try AdaptState.loadOrCreate(statePath)
        } catch {
            printError("vertrouwd: \(error.text)")
            throw ExitCode(2)
        }
        let zone = configuration.school.timeZone
        let pipeline = AdapterPipeline(
            settings: settings, domains: lists.matcher, key: LineKey(bytes: state.key),
            maxAge: configuration.ingest.maxAge,
            offset: { local in
                // The offset at that wall time: first guess from the wall
                // time read as UTC, then at the instant it gives.
                let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
                return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - Int64(guess))))
            })
        var run = AdaptRun(pipeline: pipeline, spool: SpoolDirectory(root: configuration.spool.path),
                           maxFileBytes: configuration.spool.maxFileBytes, statePath: statePath, state: state)
        AdaptStop.install()
        do {
            if file == "-" {
                try run.readStandardInput()
            } else {
                try run.readFile(file, follow: follow)
            }
        } catch {
            let text = (error as? AdaptRun.Failure)?.text ?? (error as? AdaptReader.Failure)?.text ?? "\(error)"
            printError("vertrouwd: \(text)")
            printError(run.counts.render(adapter: adapter, k: configuration.privacy.minGroupSize))
            throw ExitCode(2)
        }
        printError(run.counts.render(adapter: adapter, k: configuration.privacy.minGroupSize))
    }
}

/// One run of the adapter: lines through the pipeline, signals into the
/// spool in batches, the read position saved after each batch is durable.
struct AdaptRun {
    let pipeline: AdapterPipeline
    let spool: SpoolDirectory
    let maxFileBytes: Int
    let statePath: String
    var state: AdaptState
    var counts = AdapterCounts()
    private var batch: [UInt8] = []
    /// The read position the batch reaches (file input only).
    private var batchEnd: (inode: UInt64, offset: Int64)?

    struct Failure: Error { var text: String }

    init(pipeline: AdapterPipeline, spool: SpoolDirectory, maxFileBytes: Int, statePath: String, state: AdaptState) {
        self.pipeline = pipeline
        self.spool = spool
        self.maxFileBytes = maxFileBytes
        self.statePath = statePath
        self.state = state
    }

    mutating func handle(_ line: ArraySlice<UInt8>) throws {
        let outcome = pipeline.process(line, now: Int64(Date().timeIntervalSince1970))
        counts.record(outcome)
        if case .signal(let json) = outcome {
            batch.append(contentsOf: json.utf8)
            batch.append(0x0A)
            // Stay well inside the daemon's spool.max_file_bytes.
            if batch.count > maxFileBytes - 4_096 { try flush() }
        }
    }

    /// Drops the batch into the spool (durable when drop returns), then
    /// saves the read position it reaches.
    mutating func flush() throws {
        if !batch.isEmpty {
            do {
                _ = try spool.drop(batch)
            } catch {
                throw Failure(text: "cannot write to the spool: \(error)")
            }
            batch.removeAll(keepingCapacity: true)
        }
        if let end = batchEnd, end.inode != state.inode || end.offset != state.offset {
            state.inode = end.inode
            state.offset = end.offset
            do { try state.save(statePath) } catch { throw Failure(text: error.text) }
        }
    }

    mutating func readStandardInput() throws {
        let reader = AdaptReader()
        while !AdaptStop.requested {
            let n = try reader.readLines(final: true) { line, _ in try handle(line) }
            // Caught up with the pipe: hand over what there is.
            if n < (1 << 16) { try flush() }
            if n == 0 { break }
        }
        try flush()
    }

    mutating func readFile(_ path: String, follow: Bool) throws {
        let reader: AdaptReader
        do {
            reader = try AdaptReader(path: path, inode: state.inode, offset: state.offset)
        } catch {
            throw Failure(text: error.text)
        }
        while !AdaptStop.requested {
            let n = try reader.readLines(final: !follow) { line, offset in
                batchEnd = (reader.inode, offset)
                try handle(line)
            }
            if n < (1 << 16) {
                batchEnd = (reader.inode, reader.lineOffset)
                try flush()
            }
            guard n == 0 else { continue }
            guard follow else { break }
            switch reader.checkRotation() {
            case .none:
                usleep(250_000)
            case .truncated:
                reader.restartFromTop()
            case .renamed:
                // Whatever was written to the old file before the rename is read first.
                while try reader.readLines(final: true, { line, _ in try handle(line) }) > 0 {}
                do { try reader.reopen() } catch { throw Failure(text: error.text) }
                batchEnd = (reader.inode, 0)
                try flush()
            }
        }
        try flush()
    }
}
