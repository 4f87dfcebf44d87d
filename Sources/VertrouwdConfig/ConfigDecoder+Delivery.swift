import VertrouwdCore

// [delivery], [delivery.email], [delivery.socket] and [[recipient]]: where
// alerts and summaries go, and that every recipient can be reached.
extension Decoding {
    mutating func decodeDelivery() {
        let t = section("delivery")
        delivery.maxAge = interval(t, "max_age", in: Interval.hours(1)...Interval.weeks(8)) ?? delivery.maxAge
        decodeEmail(t.table("email") ?? TableReader(ConfigTable(origin: .implicit, position: t.position),
                                                    section: "delivery.email", context: context, isAbsent: true))
        let socket = t.table("socket") ?? TableReader(ConfigTable(origin: .implicit, position: t.position),
                                                      section: "delivery.socket", context: context, isAbsent: true)
        delivery.socketPath = optionalPath(socket, "path")
        socket.finish()
        decodeQuietHours(t)  // ConfigDecoder+Calendar.swift (s6-calendar)
        t.finish()
    }

    mutating func decodeEmail(_ t: TableReader) {
        var email = EmailSettings()
        email.mode = t.choice("mode", EmailSettings.Mode.self) ?? email.mode
        if let text = t.string("relay") {
            if let endpoint = Endpoint(parsing: text) {
                email.relay = endpoint
            } else {
                context.error(at: t.value("relay")!, "\"relay\" must be host:port, not \"\(text)\"",
                              hint: "for example \"127.0.0.1:25\", \"smtp.school.nl:587\" or \"[::1]:25\"")
            }
        }
        email.startTLS = t.choice("starttls", EmailSettings.StartTLS.self) ?? email.startTLS
        email.caFile = optionalPath(t, "ca_file")
        if let user = t.string("username"), !user.isEmpty { email.username = user }
        email.passwordFile = optionalPath(t, "password_file")
        if let from = t.string("from") {
            if Self.isAddress(from) {
                refuseExampleAddress(t, "from", from)
                email.from = from
            } else {
                context.error(at: t.value("from")!, "\"from\" is not an e-mail address: \"\(from)\"")
            }
        } else if email.mode != .off, !t.isPoisoned("from") {
            missing("from", in: t, "the sender address of every message")
        }
        if let name = t.string("from_name") {
            if name.isEmpty || name.count > 64 || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                context.error(at: t.value("from_name")!, "\"from_name\" must be 1–64 characters without control characters")
            } else {
                email.fromName = name
            }
        }
        if let replyTo = t.string("reply_to"), !replyTo.isEmpty {
            if Self.isAddress(replyTo) {
                refuseExampleAddress(t, "reply_to", replyTo)
                email.replyTo = replyTo
            } else {
                context.error(at: t.value("reply_to")!, "\"reply_to\" is not an e-mail address: \"\(replyTo)\"")
            }
        }
        if let path = t.string("sendmail_path") {
            if path.hasPrefix("/") {
                email.sendmailPath = path
            } else {
                context.error(at: t.value("sendmail_path")!, "\"sendmail_path\" must be an absolute path, not \"\(path)\"")
            }
        }
        if email.mode == .smtp {
            // AUTH needs both halves.
            if email.username != nil, email.passwordFile == nil, !t.isPoisoned("password_file") {
                context.error(at: t.value("username")!, "\"username\" is set but \"password_file\" is not",
                              hint: "put the password in a file of mode 0640 or stricter and name it in password_file")
            }
            if email.passwordFile != nil, email.username == nil, !t.isPoisoned("username") {
                context.error(at: t.value("password_file")!, "\"password_file\" is set but \"username\" is not")
            }
            if email.username != nil, email.startTLS == .off, !Self.isLoopback(email.relay.host) {
                context.warning(at: t.value("starttls")?.position ?? t.position,
                                "the password would cross the network unencrypted (starttls = \"off\")",
                                hint: "use starttls = \"required\" for a relay that is not on this machine")
            }
        }
        delivery.email = email
        t.finish()
    }

    mutating func decodeRecipients() {
        guard let sections = root.tableArray("recipient") else {
            if !context.quietAboutMissing, !root.has("recipient") {
                context.error(at: nil, "no [[recipient]] defined: alerts and summaries would go nowhere",
                              hint: "add the trust contact:\n        [[recipient]]\n        name = \"vertrouwenspersoon\"\n        email = \"…\"")
            }
            return
        }
        var seen: [String: SourcePosition] = [:]
        for t in sections {
            defer { t.finish() }
            let errorsBefore = context.diagnostics.count
            let name = t.string("name")
            if name == nil, !t.isPoisoned("name") { missing("name", in: t) }
            if let name, let v = t.value("name") {
                if name.isEmpty || name.count > 64 || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    context.error(at: v, "a recipient's name must be 1–64 characters without control characters")
                } else if let first = seen[name] {
                    context.error(at: v, "duplicate recipient \"\(name)\"", hint: "first defined at line \(first.line)")
                } else {
                    seen[name] = v.position
                }
            }
            var address: String?
            if let email = t.string("email"), !email.isEmpty {
                if Self.isAddress(email) {
                    refuseExampleAddress(t, "email", email)
                    address = email
                } else {
                    context.error(at: t.value("email")!, "\"email\" is not an e-mail address: \"\(email)\"")
                }
            }
            let language = t.choice("language", Language.self) ?? school.language
            var receives = MessageKind.defaults
            if let items = t.strings("receives") {
                receives = []
                for (text, value) in items {
                    if let kind = MessageKind(rawValue: text) {
                        receives.insert(kind)
                    } else {
                        context.error(at: value, "\"receives\" takes \"alerts\", \"summaries\" and \"health\", not \"\(text)\"",
                                      hint: Suggestion.hint(for: text, in: MessageKind.allCases.map(\.rawValue)))
                    }
                }
                if items.isEmpty {
                    context.error(at: t.value("receives")!, "\"receives\" must list \"alerts\", \"summaries\", \"health\" or several")
                }
            }
            guard context.diagnostics.count == errorsBefore, let name else { continue }
            let recipient = Recipient(name: name, email: address, language: language, receives: receives)
            if !delivery.hasRoute(for: recipient), !t.isPoisoned("email"), !context.isPoisoned("delivery.socket.path") {
                let why = address == nil
                    ? "it has no e-mail address and [delivery.socket] has no path"
                    : "[delivery.email] mode is \"off\" and [delivery.socket] has no path"
                context.error(at: t.value("name")!, "recipient \"\(name)\" has no route: \(why)",
                              hint: "give it an e-mail address with mode \"smtp\" or \"sendmail\", or set [delivery.socket] path")
                continue
            }
            recipients.append(recipient)
        }
        checkHealthRecipient()
    }

    /// `[[source]] expect_every`: how long the source may be silent before
    /// IT hears of it. At least a minute, at most 8 weeks.
    func expectEvery(_ t: TableReader) -> Interval? {
        interval(t, "expect_every", in: Interval.minutes(1)...Interval.weeks(8))
    }

    /// A silence limit or a failing route is told only to a recipient that
    /// receives "health"; without one, the daemon only logs it.
    func checkHealthRecipient() {
        let watched = sourceSettings.filter { $0.value.expectEvery != nil }.keys.sorted()
        guard !watched.isEmpty, !recipients.isEmpty, !recipients.contains(where: { $0.receives.contains(.health) }) else { return }
        context.warning(at: nil, "\"expect_every\" is set for \(watched.map { "\"\($0)\"" }.joined(separator: ", ")) but no recipient receives \"health\": a silent source is only logged",
                        hint: "add receives = [\"health\"] to a [[recipient]] for IT")
    }

    /// A plausible mailbox: local@domain, no spaces or angle brackets, a
    /// dot in the domain (or "localhost"), at most 254 characters.
    static func isAddress(_ text: String) -> Bool {
        guard text.utf8.count <= 254, text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }),
              !text.contains(where: { "<>()[],;\\\"".contains($0) })
        else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let domain = parts[1]
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard domain == "localhost" || labels.count >= 2 else { return false }
        return labels.allSatisfy { !$0.isEmpty && $0.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
