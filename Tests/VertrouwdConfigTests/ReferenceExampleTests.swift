import Testing
@testable import VertrouwdConfig

/// The example from CONFIG.md parses cleanly and survives printing.
@Suite struct ReferenceExample {
    static let example = #"""
        [school]
        name = "Voorbeeldcollege"            # required
        timezone = "Europe/Amsterdam"
        language = "nl"                      # nl | en

        [spool]
        path = "/var/spool/vertrouwd"
        max_file_bytes = 1048576
        rescan = "60s"
        quarantine_days = 7

        [ingest]
        max_future = "5m"
        max_age = "7d"
        dedup_horizon = "8d"

        [state]
        path = "/var/lib/vertrouwd/state.db"
        retention_weeks = 104

        [privacy]
        min_group_size = 5                   # k, at least 3
        round_to = 5

        [alerts]
        evaluate_every = "15m"               # "0s": after every ingest batch

        [summary]
        schedule = "mon 07:30"               # local time, after the ISO week closed
        trend_weeks = 8
        catch_up_weeks = 4

        [taxonomy]
        categories = ["grooming", "sextortion.threat", "sextortion.payment",
                      "image.request", "image.shared", "help_seeking", "distress"]
        sites = ["hoofdgebouw", "dependance"]

        [taxonomy.cohorts]                   # value = its group
        "klas-1" = "onderbouw"
        "klas-2" = "onderbouw"
        "klas-3" = "onderbouw"
        "klas-4" = "bovenbouw"
        "klas-5" = "bovenbouw"
        "klas-6" = "bovenbouw"

        [taxonomy.channels]
        instagram = "social"
        snapchat = "social"
        tiktok = "social"
        whatsapp = "messaging"
        discord = "gaming"
        game = "gaming"
        other = "other"

        [taxonomy.labels.nl]                 # optional display labels per language
        "sextortion.payment" = "Afpersing: betaalverzoek"

        [[source]]
        name = "webfilter"

        [[rule]]
        name = "sextortion-acuut"
        kind = "threshold"                   # threshold | rise
        match = ["sextortion.*"]             # category names, "*" suffix wildcard
        window = "day"                       # day | week
        min_count = 5                        # >= k
        group_by = ["site", "channel"]       # site, cohort, cohort_group, channel, channel_group, category
        severity = "high"

        [[rule]]
        name = "grooming-stijging"
        kind = "rise"
        match = ["grooming"]
        baseline_weeks = 6
        factor = 2.0
        min_count = 5

        [[recipient]]
        name = "vertrouwenspersoon"
        email = "vertrouwenspersoon@voorbeeldcollege.nl"
        language = "nl"
        receives = ["alerts", "summaries"]   # alerts | summaries

        [delivery]
        max_age = "7d"

        [delivery.email]
        mode = "smtp"                        # smtp | sendmail | off
        relay = "127.0.0.1:25"
        starttls = "opportunistic"           # required | opportunistic | off
        ca_file = ""                         # extra CA for the relay (PEM)
        username = ""
        password_file = ""                   # mode <= 0640
        from = "vertrouwd@voorbeeldcollege.nl"
        sendmail_path = "/usr/sbin/sendmail"

        [delivery.socket]
        path = ""                            # e.g. /run/vertrouwd/alerts.sock; "" = off

        [submit]
        socket = ""                          # /run/vertrouwd/submit.sock, or socket-activated
        allowed_groups = ["vertrouwd-submit"]
        """#

    @Test func parsesWithoutDiagnostics() {
        let (doc, diags) = ConfigParser.parse(Self.example)
        #expect(diags.isEmpty, "\(diags)")
        guard case .table(let taxonomy)? = doc.root["taxonomy"]?.value.kind,
              case .array(let categories)? = taxonomy["categories"]?.value.kind,
              case .tableArray(let rules)? = doc.root["rule"]?.value.kind
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(categories.count == 7)
        #expect(categories[5].position == SourcePosition(line: 35, column: 48))
        #expect(rules.count == 2)
        #expect(rules[1]["factor"]?.value.kind == .float(2.0))
        #expect(doc.root["rule"]?.keyPosition == SourcePosition(line: 61, column: 3))
    }

    @Test func printsAndParsesBackEqual() {
        let doc = ConfigParser.parse(Self.example).document
        let (again, diags) = ConfigParser.parse(DocumentPrinter.print(doc))
        #expect(diags.isEmpty)
        #expect(again.structurallyEquals(doc))
    }
}

@Suite struct Printing {
    @Test func canonicalText() {
        let text = #"""
            z = 1
            [t]
            "needs quote" = "a\"b\\c\n\u0001é"
            f = [1e20, -0.0, 0.5]
            i = { y = true, x = [] }
            [[arr]]
            k = 'lit'
            [arr.sub]
            [[arr]]
            """#
        let doc = ConfigParser.parse(text).document
        #expect(DocumentPrinter.print(doc) == #"""
            z = 1

            [t]
            "needs quote" = "a\"b\\c\n\u0001é"
            f = [1e+20, -0.0, 0.5]

            [t.i]
            y = true
            x = []

            [[arr]]
            k = "lit"

            [arr.sub]

            [[arr]]

            """#)
    }

    @Test func structuralEqualityIgnoresPositionsAndOrder() {
        let a = ConfigParser.parse("a = 1\nb = { c = 2, d = 3 }").document
        let b = ConfigParser.parse("\n\nb.d = 3\nb.c = 2\n  a = 1").document
        #expect(a.structurallyEquals(b))
        #expect(!a.structurallyEquals(ConfigParser.parse("a = 1\nb = { c = 2 }").document))
        #expect(!ConfigParser.parse("a = 0.0").document.structurallyEquals(ConfigParser.parse("a = -0.0").document))
        #expect(!ConfigParser.parse("a = 1").document.structurallyEquals(ConfigParser.parse("a = 1.0").document))
    }
}
