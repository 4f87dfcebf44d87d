// `vertrouwd report --from WEEK --to WEEK`: a printable overview of a term
// or year for the school's annual social-safety monitoring (Wet veiligheid
// op school), built only from the frozen, published weekly summaries in
// the state database (issue 15 §3).
//
// Privacy: it publishes nothing new. Every number is one that a week's
// published summary showed ("<5", "x" included), read from its stored form;
// weeks are never added up; a week without a published summary is a gap.
// The database is opened read-only and never migrated, so the report can
// run while the daemon runs. HTML goes to standard output or --out; a PDF
// (--pdf) needs chromium (ReportPDF.swift). Diagnostics go to standard
// error; nothing is logged.
import ArgumentParser
import Foundation
import VertrouwdCore
import VertrouwdStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Build a printable overview of a term or year from the published weekly summaries.",
        discussion: """
            WEEK is an ISO week such as 2026-W36 (as `date +%G-W%V` prints it); both weeks are included. \
            Every number is one a weekly summary published then; a week without a published summary is a gap. \
            Without --out and --pdf the HTML goes to standard output. --pdf needs chromium.
            """
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: ArgumentHelp("The first ISO week of the period, such as 2026-W36.", valueName: "week"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("The last ISO week of the period, such as 2027-W28.", valueName: "week"))
    var to: String

    @Option(name: .long, help: ArgumentHelp("Write the HTML to this file (mode 0600).", valueName: "file"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Also print the overview to this PDF file (mode 0600); needs chromium.", valueName: "file"))
    var pdf: String?

    @Option(name: .long, help: ArgumentHelp("nl or en (default: the school's language).", valueName: "language"))
    var language: String?

    /// A week option's value as a window, or the error that names the option.
    static func week(_ label: String, option: String, in zone: TimeZone) throws -> Window {
        guard let window = Window.week(label: label, in: zone) else {
            throw ValidationError("\(option) must be an ISO week such as 2026-W36 (four-digit year, \"-W\", two-digit week 01-53)")
        }
        return window
    }

    func validate() throws {
        if let language, Language(rawValue: language) == nil { throw ValidationError("--language must be nl or en") }
        // The shape of a week does not depend on the zone; the zone of the
        // config places it in run().
        let utc = TimeZone(identifier: "UTC")!
        let first = try Self.week(from, option: "--from", in: utc)
        let last = try Self.week(to, option: "--to", in: utc)
        if first.start > last.start { throw ValidationError("--from \(from) is after --to \(to)") }
        if let out, let pdf, out == pdf { throw ValidationError("--out and --pdf name the same file") }
    }

    func run() throws {
        let (configuration, _) = try loadConfiguration(options.config)
        let zone = configuration.school.timeZone
        let first = try Self.week(from, option: "--from", in: zone)
        let last = try Self.week(to, option: "--to", in: zone)
        guard last.end <= Int64(Date().timeIntervalSince1970) else {
            printError("vertrouwd: \(to) has not closed yet; a report covers closed weeks only")
            throw ExitCode(1)
        }
        // Before any work: a PDF that cannot be made fails the command at once.
        var converter: ChromiumPDF?
        if pdf != nil {
            guard let found = ChromiumPDF.find() else {
                printError("vertrouwd: --pdf needs chromium, which is not installed (apt-get install chromium); "
                           + "leave out --pdf and print the HTML from a browser instead")
                throw ExitCode(1)
            }
            converter = found
        }
        let lang = language.flatMap(Language.init(rawValue:)) ?? configuration.school.language
        let labels = TermReport.windows(from: first, to: last, zone: zone).map(\.label)
        let stored: [String: String]
        do throws(StoreError) {
            stored = try PublishedSummaries.read(path: configuration.state.path, weeks: labels)
        } catch {
            printError("vertrouwd: cannot read the published summaries: \(error.detail)")
            throw ExitCode(2)
        }
        let report = TermReport.build(from: first, to: last, zone: zone, language: lang) { stored[$0] }
        for week in report.weeks where week.state == .unreadable {
            printError("vertrouwd: the stored summary of \(week.label) cannot be read; it shows as a gap")
        }
        let html = TermReportPage(report, taxonomy: configuration.taxonomy, schoolName: configuration.school.name,
                                  language: lang, k: configuration.privacy.minGroupSize).html
        if let out {
            do throws(ReportFiles.Failure) {
                try ReportFiles.write(Data(html.utf8), to: out)
            } catch {
                printError("vertrouwd: cannot write \(out): \(error.message)")
                throw ExitCode(2)
            }
        }
        if let pdf, let converter {
            do throws(PDFFailure) {
                try converter.convert(html: html, to: pdf)
            } catch {
                printError("vertrouwd: no PDF made: \(error.message)")
                throw ExitCode(1)
            }
        }
        if out == nil, pdf == nil { print(html, terminator: "") }
        let counts = report.weekCounts
        printError("report \(from) to \(to): \(report.weeks.count) weeks, \(counts.published) with a published summary, \(counts.gaps) gaps")
    }
}
