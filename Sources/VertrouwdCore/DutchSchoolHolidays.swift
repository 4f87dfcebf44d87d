/// The Dutch national school holidays per region (issue 15 §2).
///
/// Source: Rijksoverheid, "Overzicht schoolvakanties per schooljaar"
/// (rijksoverheid.nl/onderwerpen/schoolvakanties/overzicht-schoolvakanties-per-schooljaar),
/// schooljaren 2025-2026, 2026-2027 and 2027-2028. Dates run Saturday to
/// Sunday, both included, as the ministry publishes them. The herfst- and
/// voorjaarsvakantie are the ministry's advice: a school may take other
/// weeks, and the meivakantie has an optional second advice week that this
/// table leaves out. A school whose dates differ lists its own in
/// `[calendar] days_off` (or leaves `region` out and lists them all).
///
/// Checked on 2026-12-03 (s7-health) against the pages stored for offline
/// reference (no network access):
/// - 2027-2028: the ministry's own page, rijksoverheid.nl/onderwerpen/
///   schoolvakanties/overzicht-schoolvakanties-per-schooljaar/
///   overzicht-schoolvakanties-2027-2028 — every date matches.
/// - 2025-2026: the ministry's page was not among the stored pages; every
///   date matches the school sites that quote it, per region (noord:
///   cbsdeverbinding.com, anjelier.nl; midden: edumarevpr.nl,
///   deschelp.csgdewaard.nl; zuid: gbbenjamin.nl, montessoricollege.nl) and
///   deepsea.nl's list of the 2026 zomervakantie per region.
/// - 2026-2027: the ministry's page was not among the stored pages either.
///   The dates below are those of school sites whose 2025-2026 dates show
///   their region: noord anjelier.nl; midden deschelp.csgdewaard.nl and
///   mariaschool.wsko.nl; zuid montessoricollege.nl. They corrected three
///   entries (see the comments in the table). Midden and zuid then share
///   their zomervakantie, which the ministry's rotation seldom does: check
///   this year against the ministry's page first.
/// The table must be checked against the ministry's page, and a new school
/// year added, every year (README, "The school calendar").
public enum DutchSchoolHolidays {
    /// One holiday of one region: its name and first and last day.
    public struct Holiday: Hashable, Sendable {
        public var name: String
        public var first: LocalDate
        public var last: LocalDate
    }

    /// The last day the table covers: after it only `days_off` count.
    public static let coveredUntil = LocalDate(2028, 9, 3)

    /// The holidays of `region`, oldest first.
    public static func holidays(in region: SchoolRegion) -> [Holiday] {
        table.compactMap { row in
            guard let range = row.dates[region] else { return nil }
            return Holiday(name: row.name, first: range.0, last: range.1)
        }
    }

    private struct Row {
        var name: String
        var dates: [SchoolRegion: (LocalDate, LocalDate)]

        /// The same dates in every region.
        init(_ name: String, all first: LocalDate, _ last: LocalDate) {
            self.name = name
            dates = [.noord: (first, last), .midden: (first, last), .zuid: (first, last)]
        }

        init(_ name: String, noord: (LocalDate, LocalDate), midden: (LocalDate, LocalDate), zuid: (LocalDate, LocalDate)) {
            self.name = name
            dates = [.noord: noord, .midden: midden, .zuid: zuid]
        }
    }

    private static func d(_ y: Int, _ m: Int, _ day: Int) -> LocalDate { LocalDate(y, m, day) }

    private static let table: [Row] = [
        // Schooljaar 2025-2026
        Row("herfstvakantie", noord: (d(2025, 10, 18), d(2025, 10, 26)), midden: (d(2025, 10, 18), d(2025, 10, 26)),
            zuid: (d(2025, 10, 11), d(2025, 10, 19))),
        Row("kerstvakantie", all: d(2025, 12, 20), d(2026, 1, 4)),
        Row("voorjaarsvakantie", noord: (d(2026, 2, 21), d(2026, 3, 1)), midden: (d(2026, 2, 14), d(2026, 2, 22)),
            zuid: (d(2026, 2, 14), d(2026, 2, 22))),
        Row("meivakantie", all: d(2026, 4, 25), d(2026, 5, 3)),
        Row("zomervakantie", noord: (d(2026, 7, 4), d(2026, 8, 16)), midden: (d(2026, 7, 18), d(2026, 8, 30)),
            zuid: (d(2026, 7, 11), d(2026, 8, 23))),
        // Schooljaar 2026-2027
        Row("herfstvakantie", noord: (d(2026, 10, 10), d(2026, 10, 18)), midden: (d(2026, 10, 17), d(2026, 10, 25)),
            zuid: (d(2026, 10, 17), d(2026, 10, 25))),
        Row("kerstvakantie", all: d(2026, 12, 19), d(2027, 1, 3)),
        // Noord was 13-21 February; anjelier.nl (noord) has its voorjaarsvakantie
        // on 22-26 February 2027, the week of midden's advice. One source only.
        Row("voorjaarsvakantie", noord: (d(2027, 2, 20), d(2027, 2, 28)), midden: (d(2027, 2, 20), d(2027, 2, 28)),
            zuid: (d(2027, 2, 6), d(2027, 2, 14))),
        Row("meivakantie", all: d(2027, 4, 24), d(2027, 5, 2)),
        // Noord was 3 July-15 August and midden 10 July-22 August: anjelier.nl
        // (noord) is off 12 July-20 August 2027; deschelp.csgdewaard.nl and
        // mariaschool.wsko.nl (midden) 17 July-29 August, as montessoricollege.nl (zuid).
        Row("zomervakantie", noord: (d(2027, 7, 10), d(2027, 8, 22)), midden: (d(2027, 7, 17), d(2027, 8, 29)),
            zuid: (d(2027, 7, 17), d(2027, 8, 29))),
        // Schooljaar 2027-2028
        Row("herfstvakantie", noord: (d(2027, 10, 16), d(2027, 10, 24)), midden: (d(2027, 10, 16), d(2027, 10, 24)),
            zuid: (d(2027, 10, 23), d(2027, 10, 31))),
        Row("kerstvakantie", all: d(2027, 12, 25), d(2028, 1, 9)),
        Row("voorjaarsvakantie", noord: (d(2028, 2, 19), d(2028, 2, 27)), midden: (d(2028, 2, 26), d(2028, 3, 5)),
            zuid: (d(2028, 2, 26), d(2028, 3, 5))),
        Row("meivakantie", all: d(2028, 4, 29), d(2028, 5, 7)),
        Row("zomervakantie", noord: (d(2028, 7, 15), d(2028, 8, 27)), midden: (d(2028, 7, 8), d(2028, 8, 20)),
            zuid: (d(2028, 7, 22), d(2028, 9, 3))),
    ]
}
