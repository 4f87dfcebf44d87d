import Foundation
import VertrouwdCore

// [advice]: the school's contacts and corrections to the shipped advice
// (issue 15 §3, s6-summary). Decoded after the taxonomy, whose categories
// [advice.topics] names.
//
//     [advice.topics]                 # category = topic
//     "sextortion.payment" = "sextortion"
//
//     [[advice.contact]]              # listed first under "Hulp en advies"
//     role = "Zorgcoördinator"
//     name = "J. de Vries"
//     phone = "010-123 45 67"
//     email = "zorg@school.nl"
//
//     [advice.nl]                     # line id = the school's own text
//     help-police = "Politie: 0900-8844, wijkagent: 06-12345678, bij direct gevaar 112."
//     school-lesson-material = ""     # "" leaves the line out
extension Decoding {
    /// The longest contact field.
    static let adviceFieldLimit = 120
    /// The longest line of advice.
    static let adviceLineLimit = 400
    /// The most contacts a message lists.
    static let adviceContactLimit = 10

    mutating func decodeAdvice() -> AdviceSettings {
        var settings = AdviceSettings()
        guard root.has("advice") else {
            _ = root.value("advice")  // known key, for "did you mean"
            return settings
        }
        let t = section("advice")
        guard !t.isAbsent else { return settings }
        if let topics = t.table("topics") { settings.topics = adviceTopics(topics) }
        if let contacts = t.tableArray("contact") { settings.contacts = adviceContacts(contacts, in: t) }
        for language in Language.allCases {
            if let lines = t.table(language.rawValue) { settings.lines[language] = adviceLines(lines) }
        }
        t.finish()
        return settings
    }

    /// `[advice.topics]`: a category of the taxonomy = one of the topics.
    func adviceTopics(_ t: TableReader) -> [String: MessageCatalog.Topic] {
        var topics: [String: MessageCatalog.Topic] = [:]
        let options = MessageCatalog.Topic.allCases.map(\.rawValue)
        for entry in t.table.entries {
            guard let text = t.string(entry.key) else { continue }
            if categoriesKnown, !taxonomy.categories.contains(entry.key) {
                context.error(at: entry.keyPosition, length: entry.key.unicodeScalars.count,
                              "advice topic for \"\(entry.key)\", which is not in taxonomy.categories",
                              hint: Suggestion.hint(for: entry.key, in: taxonomy.categories.values))
                continue
            }
            guard let topic = MessageCatalog.Topic(rawValue: text) else {
                context.error(at: t.value(entry.key)!, "the advice topic of \"\(entry.key)\" must be one of \(TableReader.list(options)), not \"\(text)\"",
                              hint: Suggestion.hint(for: text, in: options))
                continue
            }
            topics[entry.key] = topic
        }
        t.finish()
        return topics
    }

    /// `[[advice.contact]]`: a role, and optionally a name, phone and e-mail.
    func adviceContacts(_ tables: [TableReader], in advice: TableReader) -> [AdviceSettings.Contact] {
        if tables.count > Self.adviceContactLimit {
            context.error(at: tables[Self.adviceContactLimit].position,
                          "at most \(Self.adviceContactLimit) [[advice.contact]] sections: every alert lists them all")
        }
        var contacts: [AdviceSettings.Contact] = []
        for c in tables.prefix(Self.adviceContactLimit) {
            let role = adviceField(c, "role")
            missing("role", in: c, "what the contact is to the school, e.g. \"Zorgcoördinator\" or \"Wijkagent\"")
            var contact = AdviceSettings.Contact(role: role ?? "", name: adviceField(c, "name"),
                                                 phone: adviceField(c, "phone"), email: adviceField(c, "email"))
            if let phone = contact.phone, !phone.allSatisfy({ $0.isNumber || " +-()".contains($0) }) || !phone.contains(where: \.isNumber) {
                context.error(at: c.value("phone")!, "\"phone\" must be a phone number: digits, spaces and + - ( ) only",
                              hint: "for example \"010-123 45 67\" or \"+31 10 123 45 67\"")
                contact.phone = nil
            }
            if let email = contact.email, !Self.isAddress(email) {
                context.error(at: c.value("email")!, "\"email\" is not an e-mail address: \"\(email)\"")
                contact.email = nil
            }
            c.finish()
            if role != nil { contacts.append(contact) }
        }
        return contacts
    }

    /// An optional one-line contact field of at most 120 characters; "" is
    /// not set.
    func adviceField(_ t: TableReader, _ key: String) -> String? {
        guard let text = t.string(key) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        guard trimmed.count <= Self.adviceFieldLimit, !Self.hasControl(trimmed) else {
            context.error(at: t.value(key)!, "\"\(key)\" must be one line of at most \(Self.adviceFieldLimit) characters, without control characters")
            return nil
        }
        return trimmed
    }

    /// `[advice.nl]`, `[advice.en]`: a shipped line's id = the school's text.
    func adviceLines(_ t: TableReader) -> [String: String] {
        let ids = MessageCatalog.lines.map(\.id)
        var lines: [String: String] = [:]
        for entry in t.table.entries {
            guard let text = t.string(entry.key) else { continue }
            guard ids.contains(entry.key) else {
                context.error(at: entry.keyPosition, length: entry.key.unicodeScalars.count,
                              "\"\(entry.key)\" is not a line of the shipped advice",
                              hint: Suggestion.hint(for: entry.key, in: ids) ?? "vertrouwd.toml(5) lists the line ids under [advice]")
                continue
            }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.count <= Self.adviceLineLimit, !Self.hasControl(trimmed) else {
                context.error(at: t.value(entry.key)!, "a line of advice must be one line of at most \(Self.adviceLineLimit) characters, without control characters")
                continue
            }
            lines[entry.key] = trimmed
        }
        t.finish()
        return lines
    }

    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
