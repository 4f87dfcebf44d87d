/// Escaping for HTML text and attribute values. Every string that reaches
/// a page goes through `escape`, including the configured contact details.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// An outside link: opens without a Referer, so the site it leads to
    /// does not learn that the pupil came from the school's help page.
    static func outsideLink(_ host: String, label: String? = nil) -> String {
        "<a href=\"https://\(escape(host))/\" rel=\"noreferrer noopener\">\(escape(label ?? host))</a>"
    }

    static func phoneLink(_ number: String) -> String {
        "<a href=\"\(HelpContacts.telephoneLink(number))\">\(escape(number))</a>"
    }
}
