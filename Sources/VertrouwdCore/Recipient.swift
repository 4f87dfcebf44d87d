/// Someone who receives alerts and/or summaries, typically the school's
/// trust contact (vertrouwenspersoon).
public struct Recipient: Hashable, Sendable {
    public var name: String
    /// The e-mail address, or nil for a recipient reached over the socket only.
    public var email: String?
    public var language: Language
    public var receives: Set<MessageKind>

    public init(name: String, email: String?, language: Language, receives: Set<MessageKind>) {
        self.name = name
        self.email = email
        self.language = language
        self.receives = receives
    }
}

/// The kinds of message vertrouwd sends.
public enum MessageKind: String, CaseIterable, Hashable, Sendable {
    case alerts, summaries
    /// System health for IT (issue 15 §1): delivery failures, backlog,
    /// rejects by reason, silent sources. Never pupil counts.
    case health

    /// What a recipient receives when the config does not say: the trust
    /// contact's messages. Health goes only to whoever asks for it.
    public static let defaults: Set<MessageKind> = [.alerts, .summaries]
}
