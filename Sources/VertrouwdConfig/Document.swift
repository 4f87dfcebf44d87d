/// The parsed form of a config file: a tree of tables and values that keeps
/// where each key and value was written, so that the decoder can point at
/// them. Produced by `ConfigParser`, read by `ConfigDecoder`, printed back by
/// `DocumentPrinter`.
public struct ConfigDocument: Hashable, Sendable {
    /// The top-level table.
    public var root: ConfigTable
    /// True when a statement could not be attributed to any table (a broken
    /// table header, say): the decoder then stays quiet about missing keys,
    /// which the broken statement may have held.
    public var hasUnattributedStatements: Bool

    public init(root: ConfigTable, hasUnattributedStatements: Bool = false) {
        self.root = root
        self.hasUnattributedStatements = hasUnattributedStatements
    }
}

/// A table: keys with values, in the order they were defined.
public struct ConfigTable: Hashable, Sendable {
    /// How the table came to exist; TOML's redefinition rules depend on it.
    public enum Origin: Hashable, Sendable {
        case root
        /// `[name]` header, or an element of `[[name]]`.
        case header
        /// Created as the parent of a header or dotted key (`[a.b]` creates `a`).
        case implicit
        /// Created by a dotted key (`a.b = 1` creates `a`).
        case dotted
        /// `{ … }`
        case inline
    }

    public struct Entry: Hashable, Sendable {
        public var key: String
        /// Where the key was written (for a table made by a header: the
        /// header's name; for `[[x]]`: where the array was first declared).
        public var keyPosition: SourcePosition
        public var value: ConfigValue

        public init(key: String, keyPosition: SourcePosition, value: ConfigValue) {
            self.key = key
            self.keyPosition = keyPosition
            self.value = value
        }
    }

    public var entries: [Entry]
    public var origin: Origin
    /// Where the table begins: its header (at the `[`), its `{`, or for an
    /// implicit table the first place that named it.
    public var position: SourcePosition

    public init(entries: [Entry] = [], origin: Origin, position: SourcePosition) {
        self.entries = entries
        self.origin = origin
        self.position = position
    }

    public subscript(key: String) -> Entry? {
        entries.first { $0.key == key }
    }

    public var keys: [String] { entries.map(\.key) }
}

/// A value with the position it starts at.
public struct ConfigValue: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case bool(Bool)
        /// `[ … ]`
        case array([ConfigValue])
        /// `{ … }`, `[name]`, or a table made implicitly.
        case table(ConfigTable)
        /// `[[name]]` sections, in order.
        case tableArray([ConfigTable])
        /// The statement that defined this key had a syntax error (already
        /// reported). The decoder accepts it silently and uses the default,
        /// so one typo gives one error, not a cascade.
        case invalid
    }

    public var kind: Kind
    public var position: SourcePosition
    /// How many scalars the value's text spans on its first line (for carets).
    public var length: Int

    public init(_ kind: Kind, at position: SourcePosition, length: Int = 1) {
        self.kind = kind
        self.position = position
        self.length = max(1, length)
    }

    /// The TOML type name, for messages: "a string", "an integer", …
    public var typeDescription: String {
        switch kind {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .tableArray: "an array of tables"
        case .invalid: "an invalid value"
        }
    }
}
