import VertrouwdCore

/// Every sentence of the help page, in Dutch and English, written for a
/// 12–18-year-old reading on a phone. Fragments that hold links are HTML
/// built here from constants; nothing from a request ever reaches them.
struct HelpText: Sendable {
    let language: Language
    private var nl: Bool { language == .nl }

    var htmlLanguage: String { nl ? "nl" : "en" }
    var title: String { nl ? "Hulp bij online afpersing en naaktbeelden" : "Help with online blackmail and nude images" }
    var switchLabel: String { nl ? "English" : "Nederlands" }
    var switchHref: String { nl ? "en" : "./" }
    var switchLanguage: String { nl ? "en" : "nl" }

    var lead: String {
        nl ? "Word je online bedreigd of afgeperst met naaktfoto’s of -video’s, of gebeurt het een vriend of vriendin? Je bent niet de enige, en je kunt er iets aan doen. Dit doe je nu meteen:"
           : "Is someone threatening or blackmailing you online with nude photos or videos, or is it happening to a friend? You are not the only one, and you can do something about it. Do this right now:"
    }

    /// The five things to do, in order (issue 14): each a heading and a line.
    var advice: [(String, String)] {
        nl ? [
            ("Stop het contact en betaal niet.",
             "Betalen maakt het bijna nooit af: ze vragen daarna meestal om meer. Heb je al betaald? Stop nu toch, en betaal niet nog een keer."),
            ("Maak eerst screenshots, blokkeer daarna.",
             "Leg het profiel, de gebruikersnaam, de berichten en de betaalverzoeken vast. Verwijder niets: het is bewijs."),
            ("Blokkeer en meld het op het platform.",
             "Blokkeer de persoon en meld het account bij Instagram, Snapchat, Discord of waar het gebeurt."),
            ("Laat beelden offline halen.",
             "\(HTML.outsideLink(HelpContacts.helpwanted, label: "Helpwanted.nl")) helpt je gratis en anoniem. Met \(HTML.outsideLink(HelpContacts.takeItDown, label: "Take It Down")) voorkom je dat beelden van toen je jonger dan 18 was online komen."),
            ("Het is niet jouw schuld.",
             "Wie jou afperst, doet iets strafbaars. Jij niet. Je hoeft dit niet alleen op te lossen."),
        ] : [
            ("Stop the contact and don’t pay.",
             "Paying almost never ends it: they usually ask for more. Already paid? Stop now anyway, and don’t pay again."),
            ("Take screenshots first, then block.",
             "Save the profile, the username, the messages and the payment demands. Delete nothing: it is evidence."),
            ("Block and report it on the platform.",
             "Block the person and report the account to Instagram, Snapchat, Discord or wherever it happens."),
            ("Get images taken down.",
             "\(HTML.outsideLink(HelpContacts.helpwanted, label: "Helpwanted.nl")) helps you for free and anonymously. \(HTML.outsideLink(HelpContacts.takeItDown, label: "Take It Down")) stops images from when you were under 18 from going online."),
            ("It is not your fault.",
             "The person blackmailing you is committing a crime. You are not. You don’t have to sort this out alone."),
        ]
    }

    var talkHeading: String { nl ? "Praat met iemand" : "Talk to someone" }

    /// The trust contact's line: the configured name and details, escaped.
    func trustContact(name: String?, details: String?) -> String {
        let who = name.map { "<strong>\(HTML.escape($0))</strong>, " } ?? ""
        let role = nl ? "de vertrouwenspersoon van je school" : "your school’s trust contact (vertrouwenspersoon)"
        let how = details.map { ": " + HTML.escape($0) } ?? (nl ? ": vraag je mentor of de receptie waar je die vindt." : ": ask your mentor or reception where to find them.")
        return (who.isEmpty ? role.prefix(1).uppercased() + role.dropFirst() : who + role) + how
    }

    /// Who else to talk to, as HTML list items (numbers from `HelpContacts`).
    var contacts: [String] {
        nl ? [
            "\(HTML.outsideLink(HelpContacts.helpwanted, label: "Helpwanted.nl")): hulp bij online seksueel misbruik en afpersing, ook anoniem, en bij het verwijderen van beelden.",
            "\(HTML.outsideLink(HelpContacts.fier, label: "Fier")): chat anoniem met iemand van Fier, dag en nacht.",
            "Kindertelefoon: bel gratis \(HTML.phoneLink(HelpContacts.kindertelefoon)) of chat op \(HTML.outsideLink(HelpContacts.kindertelefoonSite)). Anoniem.",
            "Denk je aan zelfmoord of voel je je heel slecht? Bel 113 Zelfmoordpreventie: \(HTML.phoneLink(HelpContacts.suicidePrevention)), gratis, of chat op \(HTML.outsideLink(HelpContacts.suicidePreventionSite)).",
            "Politie: \(HTML.phoneLink(HelpContacts.police)); je kunt aangifte doen van afpersing. Ben je in gevaar? Bel \(HTML.phoneLink(HelpContacts.emergency)).",
        ] : [
            "\(HTML.outsideLink(HelpContacts.helpwanted, label: "Helpwanted.nl")): help with online sexual abuse and blackmail, also anonymously, and with removing images.",
            "\(HTML.outsideLink(HelpContacts.fier, label: "Fier")): chat anonymously with someone from Fier, day and night.",
            "Kindertelefoon: call \(HTML.phoneLink(HelpContacts.kindertelefoon)) for free or chat at \(HTML.outsideLink(HelpContacts.kindertelefoonSite)). Anonymous.",
            "Thinking about suicide or feeling really bad? Call 113 Suicide Prevention: \(HTML.phoneLink(HelpContacts.suicidePrevention)), free, or chat at \(HTML.outsideLink(HelpContacts.suicidePreventionSite)).",
            "Police: \(HTML.phoneLink(HelpContacts.police)); you can report blackmail. In danger? Call \(HTML.phoneLink(HelpContacts.emergency)).",
        ]
    }

    /// The one line every error page and the thank-you page start from.
    var emergencyLine: String {
        nl ? "In gevaar? Bel \(HTML.phoneLink(HelpContacts.emergency)). Heel slecht? Bel 113: \(HTML.phoneLink(HelpContacts.suicidePrevention)). Praten? Kindertelefoon: \(HTML.phoneLink(HelpContacts.kindertelefoon))."
           : "In danger? Call \(HTML.phoneLink(HelpContacts.emergency)). Feeling really bad? Call 113: \(HTML.phoneLink(HelpContacts.suicidePrevention)). Want to talk? Kindertelefoon: \(HTML.phoneLink(HelpContacts.kindertelefoon))."
    }

    // MARK: - The report form

    var formHeading: String { nl ? "Laat het de school weten, anoniem" : "Let the school know, anonymously" }
    var formIntro: String {
        nl ? "Dit hoeft niet. Doe je het wel, dan telt de school alleen hoe vaak iets gebeurt, zodat ze een hele klas of de school kan waarschuwen. Niemand ziet wie je bent: er is geen naam, geen tekstvak, en je IP-adres wordt niet bewaard. De school komt dus ook niet naar jou toe; wil je hulp, praat dan met iemand hierboven."
           : "You don’t have to. If you do, the school only counts how often something happens, so it can warn a whole class or the school. Nobody sees who you are: no name, no text box, and your IP address is not kept. So the school will not come to you either; if you want help, talk to someone above."
    }
    var whoLegend: String { nl ? "Over wie gaat het?" : "Who is it about?" }
    var whoMe: String { nl ? "Over mij" : "Me" }
    var whoFriend: String { nl ? "Over een vriend of vriendin" : "A friend" }
    var whatLegend: String { nl ? "Wat gebeurt er?" : "What is happening?" }
    var platformLegend: String { nl ? "Waar gebeurt het?" : "Where is it happening?" }
    var yearLegend: String { nl ? "In welk leerjaar zit je? (mag je overslaan)" : "Which year are you in? (you can skip this)" }
    var rather: String { nl ? "Zeg ik liever niet / weet ik niet" : "I’d rather not say / don’t know" }
    var submit: String { nl ? "Laat het anoniem weten" : "Let them know anonymously" }

    func situation(_ s: HelpSituation) -> String {
        switch s {
        case .threat: nl ? "Iemand dreigt naaktbeelden van mij te verspreiden" : "Someone threatens to share nude images of me"
        case .payment: nl ? "Iemand wil geld, cadeaukaarten of meer beelden" : "Someone wants money, gift cards or more images"
        case .request: nl ? "Iemand vraagt om naaktfoto’s of seksuele dingen" : "Someone asks for nudes or sexual things"
        case .shared: nl ? "Er gaan naaktbeelden van mij rond" : "Nude images of me are going round"
        case .grooming: nl ? "Iemand online doet raar, wil afspreken of zegt: hou het geheim" : "Someone online acts weird, wants to meet or says: keep it secret"
        case .distress: nl ? "Ik voel me heel slecht of onveilig" : "I feel really bad or unsafe"
        case .other: nl ? "Iets anders, ik zoek vooral hulp" : "Something else, I mainly want help"
        }
    }

    /// Names pupils know for the shipped channels; others show their
    /// taxonomy label or their value.
    func channel(_ value: String, taxonomy: Taxonomy) -> String {
        switch value {
        case "instagram": "Instagram"
        case "snapchat": "Snapchat"
        case "tiktok": "TikTok"
        case "whatsapp": "WhatsApp"
        case "discord": "Discord"
        case "game": nl ? "In een game" : "In a game"
        case "other": nl ? "Ergens anders" : "Somewhere else"
        default: taxonomy.label(value, in: language)
        }
    }

    /// "klas-4" → "Klas 4" unless the taxonomy labels it.
    func cohort(_ value: String, taxonomy: Taxonomy) -> String {
        let label = taxonomy.label(value, in: language)
        guard label == value else { return label }
        let spaced = value.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }

    // MARK: - After the report

    var thanksHeading: String { nl ? "Dank je, het is doorgegeven" : "Thank you, it has been passed on" }
    var thanksText: String {
        nl ? "De school weet nu dat iemand hulp nodig heeft, maar niet wie. Niemand komt naar je toe. Wil je dat iemand je helpt? Praat met een van de mensen hieronder. Dat is moedig, en het helpt echt."
           : "The school now knows that someone needs help, but not who. Nobody will come to you. Want someone to help you? Talk to one of the people below. That takes courage, and it really helps."
    }
    var alreadyHeading: String { nl ? "Dit was al doorgegeven" : "This was already passed on" }
    var alreadyText: String {
        nl ? "Je melding was al aangekomen; hij telt één keer. Hieronder staat nog eens wat je kunt doen."
           : "Your report had already arrived; it counts once. Here is again what you can do."
    }
    var friendHeading: String { nl ? "Voor je vriend of vriendin" : "For your friend" }
    var friendText: String {
        nl ? "Geef de tips hieronder door. Stuur beelden nooit door, ook niet om te laten zien wat er gebeurt. Blijf bij je vriend(in), en help om met iemand te praten: een ouder, de vertrouwenspersoon of de Kindertelefoon."
           : "Pass on the tips below. Never forward images, not even to show what is happening. Stay with your friend, and help them talk to someone: a parent, the trust contact or the Kindertelefoon."
    }
    var backLink: String { nl ? "Terug naar het begin" : "Back to the start" }

    // MARK: - Errors (never echo what was sent)

    func errorText(_ status: Int) -> (String, String) {
        switch status {
        case 404: nl ? ("Deze pagina bestaat niet", "Ga terug naar het begin.") : ("This page does not exist", "Go back to the start.")
        case 405: nl ? ("Dat kan hier niet", "Deze pagina werkt zo niet. Ga terug naar het begin.") : ("That doesn’t work here", "This page doesn’t work that way. Go back to the start.")
        case 413: nl ? ("Dat was te veel", "Er kwam meer binnen dan een melding kan zijn. Probeer het opnieuw vanaf het begin.") : ("That was too much", "More arrived than a report can be. Try again from the start.")
        case 429: nl ? ("Even rustig aan", "Er kwamen heel veel verzoeken tegelijk. Wacht een minuut en probeer het dan opnieuw.") : ("Slow down a moment", "Very many requests came in at once. Wait a minute, then try again.")
        case 403: nl ? ("Dit formulier is verlopen", "Open de pagina opnieuw en probeer het nog een keer. Er is niets doorgegeven.") : ("This form has expired", "Open the page again and try once more. Nothing was passed on.")
        case 400: nl ? ("Dat lukte niet", "We konden je keuze niet lezen. Er is niets doorgegeven. Probeer het opnieuw vanaf het begin.") : ("That didn’t work", "We couldn’t read your choice. Nothing was passed on. Try again from the start.")
        default: nl ? ("Er ging iets mis", "Je melding is niet doorgegeven. Probeer het later opnieuw; de hulp hieronder is er altijd.") : ("Something went wrong", "Your report was not passed on. Try again later; the help below is always there.")
        }
    }
    var chooseSituation: String { nl ? "Kies eerst wat er gebeurt en over wie het gaat." : "First choose what is happening and who it is about." }
}
