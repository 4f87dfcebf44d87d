import VertrouwdCore

/// The places a pupil can turn to, with the numbers the trust contact's
/// alerts give too (`MessageCatalog`): a test checks that they match.
public enum HelpContacts {
    /// Police, non-urgent line.
    public static let police = "0900-8844"
    /// Emergency number.
    public static let emergency = "112"
    /// De Kindertelefoon, free and anonymous for children and teenagers.
    public static let kindertelefoon = "0800-0432"
    /// 113 Zelfmoordpreventie, free.
    public static let suicidePrevention = "0800-0113"
    /// Helpwanted (Offlimits): online sexual abuse, sextortion, removal of images.
    public static let helpwanted = "helpwanted.nl"
    /// Fier: chat for young people facing violence or exploitation.
    public static let fier = "fier.nl"
    /// Take It Down (NCMEC): hashes images taken before 18 so platforms block them.
    public static let takeItDown = "takeitdown.ncmec.org"
    /// De Kindertelefoon's site (chat).
    public static let kindertelefoonSite = "kindertelefoon.nl"
    /// 113's site (chat).
    public static let suicidePreventionSite = "113.nl"

    /// "0800-0432" → "tel:08000432".
    public static func telephoneLink(_ number: String) -> String {
        "tel:" + number.filter(\.isNumber)
    }
}
