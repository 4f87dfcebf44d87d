import VertrouwdCore

/// Escaping for HTML text and attribute values. Every string that reaches
/// a page goes through `escape`, including the configured contact details.
enum HTML {
    /// The messages' escaping (`HTMLEscape.text`): one set of rules for
    /// every page vertrouwd writes.
    static func escape(_ text: String) -> String { HTMLEscape.text(text) }

    /// An outside link: opens without a Referer, so the site it leads to
    /// does not learn that the pupil came from the school's help page.
    static func outsideLink(_ host: String, label: String? = nil) -> String {
        "<a href=\"https://\(escape(host))/\" rel=\"noreferrer noopener\">\(escape(label ?? host))</a>"
    }

    static func phoneLink(_ number: String) -> String {
        "<a href=\"\(HelpContacts.telephoneLink(number))\">\(escape(number))</a>"
    }
}
