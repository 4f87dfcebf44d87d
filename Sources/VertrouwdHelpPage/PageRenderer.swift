import VertrouwdCore

/// Renders the help page's HTML from the model: pure, so every page is
/// tested as a string (golden files) and in a real browser.
public struct PageRenderer: Sendable {
    public let model: HelpPageModel

    public init(model: HelpPageModel) {
        self.model = model
    }

    /// What a page shows besides the advice.
    public enum Page: Sendable, Equatable {
        /// The start page with the optional form; `missingChoice` when a
        /// submitted form lacked a required choice.
        case start(formToken: String, missingChoice: Bool = false)
        /// After a report: thanks, then the same advice. `repeated` when
        /// the same form was sent again (it counts once).
        case thanks(aboutFriend: Bool, distress: Bool, repeated: Bool)
        /// An error page for an HTTP status; it never shows what was sent.
        case error(status: Int)
    }

    public func render(_ page: Page, language: Language) -> String {
        let text = HelpText(language: language)
        var body = ""
        switch page {
        case .start(let token, let missing):
            body += "<p>\(text.lead)</p>\n"
            body += advice(text)
            body += talk(text)
            body += form(text, token: token, missingChoice: missing)
        case .thanks(let friend, let distress, let repeated):
            if distress { body += "<p class=\"urgent\">\(text.emergencyLine)</p>\n" }
            body += "<div class=\"box\" role=\"status\"><h2>\(repeated ? text.alreadyHeading : text.thanksHeading)</h2>\n<p>\(repeated ? text.alreadyText : text.thanksText)</p></div>\n"
            if friend { body += "<h2>\(text.friendHeading)</h2>\n<p>\(text.friendText)</p>\n" }
            body += talk(text)
            body += advice(text)
            body += "<p><a href=\"\(language == .nl ? "./" : "en")\">\(text.backLink)</a></p>\n"
        case .error(let status):
            let (heading, line) = text.errorText(status)
            body += "<div class=\"error\" role=\"alert\"><h2>\(heading)</h2>\n<p>\(line)</p></div>\n"
            body += "<p class=\"urgent\">\(text.emergencyLine)</p>\n"
            body += "<p><a href=\"\(language == .nl ? "./" : "en")\">\(text.backLink)</a></p>\n"
        }
        return document(text, body: body)
    }

    func document(_ text: HelpText, body: String) -> String {
        """
        <!doctype html>
        <html lang="\(text.htmlLanguage)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <meta name="robots" content="noindex">
        <title>\(text.title)</title>
        <style>\(PageStyle.css)</style>
        </head>
        <body>
        <header><a class="lang" href="\(text.switchHref)" hreflang="\(text.switchLanguage)" lang="\(text.switchLanguage)">\(text.switchLabel)</a><h1>\(text.title)</h1></header>
        <main>
        \(body)</main>
        </body>
        </html>

        """
    }

    func advice(_ text: HelpText) -> String {
        var html = "<ol class=\"advice\">\n"
        for (heading, line) in text.advice {
            html += "<li><strong>\(heading)</strong> \(line)</li>\n"
        }
        return html + "</ol>\n"
    }

    func talk(_ text: HelpText) -> String {
        var html = "<h2>\(text.talkHeading)</h2>\n<ul class=\"contacts\">\n"
        html += "<li>\(text.trustContact(name: model.settings.contactName, details: model.settings.contactDetails))</li>\n"
        for line in text.contacts { html += "<li>\(line)</li>\n" }
        return html + "</ul>\n"
    }

    func form(_ text: HelpText, token: String, missingChoice: Bool) -> String {
        var html = "<section class=\"box\" aria-labelledby=\"report\">\n<h2 id=\"report\">\(text.formHeading)</h2>\n"
        html += "<p class=\"note\">\(text.formIntro)</p>\n"
        if missingChoice { html += "<p class=\"error\" role=\"alert\">\(text.chooseSituation)</p>\n" }
        html += "<form method=\"post\" action=\"report\">\n"
        html += "<input type=\"hidden\" name=\"token\" value=\"\(HTML.escape(token))\">\n"
        html += "<input type=\"hidden\" name=\"lang\" value=\"\(text.htmlLanguage)\">\n"
        html += fieldset(text.whoLegend, name: "who", required: true,
                         options: [("me", text.whoMe), ("friend", text.whoFriend)], checked: nil)
        html += fieldset(text.whatLegend, name: "what", required: true,
                         options: model.situations.map { ($0.rawValue, text.situation($0)) }, checked: nil)
        html += fieldset(text.platformLegend, name: "platform", required: false,
                         options: model.channels.map { ($0, text.channel($0, taxonomy: model.taxonomy)) } + [("unknown", text.rather)],
                         checked: "unknown")
        if !model.cohorts.isEmpty {
            html += fieldset(text.yearLegend, name: "year", required: false,
                             options: model.cohorts.map { ($0, text.cohort($0, taxonomy: model.taxonomy)) } + [("unknown", text.rather)],
                             checked: "unknown")
        }
        html += "<button type=\"submit\">\(text.submit)</button>\n</form>\n</section>\n"
        return html
    }

    func fieldset(_ legend: String, name: String, required: Bool, options: [(String, String)], checked: String?) -> String {
        var html = "<fieldset>\n<legend>\(legend)</legend>\n"
        for (i, (value, label)) in options.enumerated() {
            let id = "\(name)-\(i)"
            let attributes = (required && i == 0 ? " required" : "") + (value == checked ? " checked" : "")
            html += "<label for=\"\(id)\"><input type=\"radio\" id=\"\(id)\" name=\"\(name)\" value=\"\(HTML.escape(value))\"\(attributes)> <span>\(HTML.escape(label))</span></label>\n"
        }
        return html + "</fieldset>\n"
    }
}
