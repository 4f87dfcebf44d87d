/// `[advice]`: what a school adds to, or corrects in, the shipped advice
/// (`MessageCatalog`) without a release (issue 15 §3): its own contacts
/// (zorgcoördinator, wijkagent), the advice topic of a category, and its own
/// text for a shipped line, by the line's id.
///
/// Absent from the file means the shipped advice, unchanged. Nothing here
/// is a count or about a pupil: it is text the school wrote for its messages.
public struct AdviceSettings: Hashable, Sendable {
    /// A person or service the trust contact can turn to, listed first under
    /// "Hulp en advies" in every alert and summary.
    public struct Contact: Hashable, Sendable {
        /// What they are to the school: "Zorgcoördinator", "Wijkagent".
        public var role: String
        public var name: String?
        public var phone: String?
        public var email: String?

        public init(role: String, name: String? = nil, phone: String? = nil, email: String? = nil) {
            self.role = role
            self.name = name
            self.phone = phone
            self.email = email
        }

        /// "Zorgcoördinator (J. de Vries): 010-123 45 67, zorg@school.nl".
        public var text: String {
            let who = name.map { "\(role) (\($0))" } ?? role
            let how = [phone, email].compactMap { $0 }
            return how.isEmpty ? who : who + ": " + how.joined(separator: ", ")
        }
    }

    /// In config order.
    public var contacts: [Contact] = []
    /// Per category, the advice it gets, over the shipped mapping
    /// (`MessageCatalog.topic(of:)`); `.general` gives general advice only.
    public var topics: [String: MessageCatalog.Topic] = [:]
    /// Per language and line id (`MessageCatalog.lines`), the school's text
    /// for that line; "" leaves the line out.
    public var lines: [Language: [String: String]] = [:]

    public init(contacts: [Contact] = [], topics: [String: MessageCatalog.Topic] = [:], lines: [Language: [String: String]] = [:]) {
        self.contacts = contacts
        self.topics = topics
        self.lines = lines
    }
}
